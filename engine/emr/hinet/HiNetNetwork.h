// SPDX-License-Identifier: GPL-3.0-or-later
// Grey-scale HiNet (Jing et al., ICCV 2021) in LibTorch, as DESIGN §4.2 fixes it. This header includes
// torch and is used by exactly two translation units: the runtime plugin (HiNetPlugin.cpp) and the
// training tool (tools/train_hinet).
#pragma once

#include <torch/torch.h>

#include <cmath>
#include <vector>

namespace medveil::hinet {

/// Architecture parameters; stored next to the weights so a checkpoint always loads into the right shape.
struct HiNetConfig
{
    int blocks = 4;  ///< K invertible coupling blocks
    int growth = 16; ///< dense-block growth rate (channels added per conv)
    double clamp = 2.0;
};

/// One-level orthonormal Haar DWT of N×1×H×W (H, W even) into N×4×H/2×W/2: LL, HL, LH, HH.
inline torch::Tensor haarDwt(const torch::Tensor& x)
{
    using torch::indexing::None;
    using torch::indexing::Slice;
    const auto a = x.index({Slice(), Slice(), Slice(0, None, 2), Slice(0, None, 2)});
    const auto b = x.index({Slice(), Slice(), Slice(0, None, 2), Slice(1, None, 2)});
    const auto c = x.index({Slice(), Slice(), Slice(1, None, 2), Slice(0, None, 2)});
    const auto d = x.index({Slice(), Slice(), Slice(1, None, 2), Slice(1, None, 2)});
    return torch::cat({(a + b + c + d) / 2, (-a + b - c + d) / 2, (-a - b + c + d) / 2, (a - b - c + d) / 2},
                      1);
}

/// Exact inverse of haarDwt: N×4×h×w → N×1×2h×2w.
inline torch::Tensor haarIwt(const torch::Tensor& y)
{
    const auto ll = y.narrow(1, 0, 1), hl = y.narrow(1, 1, 1), lh = y.narrow(1, 2, 1), hh = y.narrow(1, 3, 1);
    const auto a = (ll - hl - lh + hh) / 2, b = (ll + hl - lh - hh) / 2;
    const auto c = (ll - hl + lh - hh) / 2, d = (ll + hl + lh + hh) / 2;
    const auto n = y.size(0), h = y.size(2), w = y.size(3);
    // Interleave: rows (a b / c d) per 2×2 cell.
    const auto top = torch::stack({a, b}, -1).reshape({n, 1, h, 2 * w});
    const auto bottom = torch::stack({c, d}, -1).reshape({n, 1, h, 2 * w});
    return torch::stack({top, bottom}, 3).reshape({n, 1, 2 * h, 2 * w});
}

/// Five 3×3 convolutions with dense connections and LeakyReLU; the last one is zero-initialised so a
/// fresh coupling block is the identity (HiNet's initialisation).
struct DenseBlockImpl : torch::nn::Module
{
    DenseBlockImpl(int in, int out, int growth)
    {
        for (int i = 0; i < 4; ++i)
            convs.push_back(register_module(
                "conv" + std::to_string(i + 1),
                torch::nn::Conv2d(torch::nn::Conv2dOptions(in + i * growth, growth, 3).padding(1))));
        last = register_module(
            "conv5", torch::nn::Conv2d(torch::nn::Conv2dOptions(in + 4 * growth, out, 3).padding(1)));
        torch::NoGradGuard guard;
        last->weight.zero_();
        last->bias.zero_();
    }
    torch::Tensor forward(torch::Tensor x)
    {
        std::vector<torch::Tensor> features{x};
        for (auto& conv : convs)
            features.push_back(torch::leaky_relu(conv->forward(torch::cat(features, 1)), 0.2));
        return last->forward(torch::cat(features, 1));
    }
    std::vector<torch::nn::Conv2d> convs;
    torch::nn::Conv2d last{nullptr};
};
TORCH_MODULE(DenseBlock);

/// Affine coupling: y1 = x1 + φ(x2); y2 = x2 ⊙ exp(2c(σ(ρ(y1)) − ½)) + η(y1). Exactly invertible.
struct CouplingBlockImpl : torch::nn::Module
{
    CouplingBlockImpl(int growth, double clamp) : clamp(clamp)
    {
        phi = register_module("phi", DenseBlock(4, 4, growth));
        rho = register_module("rho", DenseBlock(4, 4, growth));
        eta = register_module("eta", DenseBlock(4, 4, growth));
    }
    torch::Tensor scale(const torch::Tensor& y1)
    {
        return 2 * clamp * (torch::sigmoid(rho->forward(y1)) - 0.5);
    }
    std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& x1, const torch::Tensor& x2)
    {
        auto y1 = x1 + phi->forward(x2);
        auto y2 = x2 * torch::exp(scale(y1)) + eta->forward(y1);
        return {y1, y2};
    }
    std::pair<torch::Tensor, torch::Tensor> inverse(const torch::Tensor& y1, const torch::Tensor& y2)
    {
        auto x2 = (y2 - eta->forward(y1)) * torch::exp(-scale(y1));
        auto x1 = y1 - phi->forward(x2);
        return {x1, x2};
    }
    double clamp;
    DenseBlock phi{nullptr}, rho{nullptr}, eta{nullptr};
};
TORCH_MODULE(CouplingBlock);

/// K coupling blocks between the cover's and the secret's wavelet coefficients.
struct HiNetImpl : torch::nn::Module
{
    explicit HiNetImpl(const HiNetConfig& config = {}) : config(config)
    {
        for (int i = 0; i < config.blocks; ++i)
            blocks.push_back(
                register_module("block" + std::to_string(i), CouplingBlock(config.growth, config.clamp)));
    }

    struct HideOutput
    {
        torch::Tensor stego; ///< N×1×H×W
        torch::Tensor r;     ///< N×4×H/2×W/2, the discarded "lost information"
        torch::Tensor stegoDwt;
    };

    /// cover, secret: N×1×H×W in [0, 1], H and W even.
    HideOutput hide(const torch::Tensor& cover, const torch::Tensor& secret,
                    const std::function<void(int)>& onBlock = {})
    {
        auto x1 = haarDwt(cover), x2 = haarDwt(secret);
        for (size_t i = 0; i < blocks.size(); ++i) {
            std::tie(x1, x2) = blocks[i]->forward(x1, x2);
            if (onBlock)
                onBlock(int(i));
        }
        return {haarIwt(x1), x2, x1};
    }

    /// Runs the blocks backwards from (DWT(stego), z); z = 0 is MedVeil's documented rule.
    torch::Tensor reveal(const torch::Tensor& stego, const torch::Tensor& z,
                         const std::function<void(int)>& onBlock = {})
    {
        auto y1 = haarDwt(stego), y2 = z;
        for (size_t i = blocks.size(); i-- > 0;) {
            std::tie(y1, y2) = blocks[i]->inverse(y1, y2);
            if (onBlock)
                onBlock(int(blocks.size() - 1 - i));
        }
        return haarIwt(y2);
    }

    HiNetConfig config;
    std::vector<CouplingBlock> blocks;
};
TORCH_MODULE(HiNet);

} // namespace medveil::hinet
