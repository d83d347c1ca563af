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
    /// Cover-conditioned (a conditional invertible network, Ardizzone et al. 2019): every subnet also sees
    /// the cover's DWT. The receiver rebuilds the exact cover from the stego (EmrImageCodec::
    /// reconstructCover), so each block stays exactly invertible given the cover. false = the paper's HiNet.
    bool conditioned = false;
    /// Start of the learnable linear path in the first block of a conditioned network: stego = cover +
    /// α·(secret − ½), reveal = (stego − cover)/α + ½. 0 = no linear path. α = 0.24 keeps every base-4 digit
    /// decodable (|perturbation| ≤ 30.6 levels) and reveals at ≈ 46 dB before any training.
    double linearAlpha = 0.0;
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
        if (torch::GradMode::is_enabled()) { // training: out= writes cannot be differentiated
            std::vector<torch::Tensor> features{x};
            for (auto& conv : convs)
                features.push_back(torch::leaky_relu(conv->forward(torch::cat(features, 1)), 0.2));
            return last->forward(torch::cat(features, 1));
        }
        // Inference: every feature is written once into one buffer instead of re-concatenating the growing
        // list before each convolution (the same values, so the same results).
        const int64_t in = x.size(1), growth = convs.front()->options.out_channels();
        auto features = torch::empty({x.size(0), in + 4 * growth, x.size(2), x.size(3)},
                                     x.options().memory_format(x.suggest_memory_format()));
        features.narrow(1, 0, in).copy_(x);
        int64_t channels = in;
        for (auto& conv : convs) {
            auto out = features.narrow(1, channels, growth);
            torch::leaky_relu_out(out, conv->forward(features.narrow(1, 0, channels)), 0.2);
            channels += growth;
        }
        return last->forward(features);
    }
    std::vector<torch::nn::Conv2d> convs;
    torch::nn::Conv2d last{nullptr};
};
TORCH_MODULE(DenseBlock);

/// Affine coupling: y1 = x1 + φ(x2, c); y2 = x2 ⊙ exp(2·clamp·(σ(ρ(y1, c)) − ½)) + η(y1, c). Exactly
/// invertible for a given condition c (the cover's DWT; an undefined tensor for the plain HiNet).
/// With a linear path (first block of a conditioned network) φ adds α·(x2 − e_LL) and η adds
/// −((y1 − c)/α + e_LL), e_LL = DWT of the constant ½ image: with zero-initialised dense blocks the block
/// is then exactly the linear scheme, with the discarded r = 0.
struct CouplingBlockImpl : torch::nn::Module
{
    CouplingBlockImpl(int growth, double clamp, int conditionChannels = 0, double linearAlpha = 0.0)
        : clamp(clamp), conditioned(conditionChannels > 0)
    {
        const int in = 4 + conditionChannels;
        phi = register_module("phi", DenseBlock(in, 4, growth));
        rho = register_module("rho", DenseBlock(in, 4, growth));
        eta = register_module("eta", DenseBlock(in, 4, growth));
        if (linearAlpha > 0)
            logAlpha = register_parameter("log_alpha", torch::full({1}, std::log(linearAlpha)));
    }
    [[nodiscard]] bool linear() const { return logAlpha.defined(); }
    torch::Tensor withCondition(const torch::Tensor& x, const torch::Tensor& c) const
    {
        return conditioned ? torch::cat({x, c}, 1) : x;
    }
    /// DWT of the constant ½ image: 1 in LL, 0 elsewhere (orthonormal Haar: LL = (a+b+c+d)/2).
    static torch::Tensor halfGreyDwt(const torch::Tensor& like)
    {
        auto e = torch::zeros({1, 4, 1, 1}, like.options());
        e.index_put_({0, 0}, 1.0);
        return e;
    }
    torch::Tensor linearPhi(const torch::Tensor& x2) const
    {
        return torch::exp(logAlpha) * (x2 - halfGreyDwt(x2));
    }
    torch::Tensor linearEta(const torch::Tensor& y1, const torch::Tensor& c) const
    {
        return -((y1 - c) * torch::exp(-logAlpha) + halfGreyDwt(y1));
    }
    torch::Tensor scale(const torch::Tensor& y1c)
    {
        return 2 * clamp * (torch::sigmoid(rho->forward(y1c)) - 0.5);
    }
    std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& x1, const torch::Tensor& x2,
                                                    const torch::Tensor& c = {})
    {
        auto y1 = x1 + phi->forward(withCondition(x2, c));
        if (linear())
            y1 = y1 + linearPhi(x2);
        const auto y1c = withCondition(y1, c);
        auto y2 = x2 * torch::exp(scale(y1c)) + eta->forward(y1c);
        if (linear())
            y2 = y2 + linearEta(y1, c);
        return {y1, y2};
    }
    std::pair<torch::Tensor, torch::Tensor> inverse(const torch::Tensor& y1, const torch::Tensor& y2,
                                                    const torch::Tensor& c = {})
    {
        const auto y1c = withCondition(y1, c);
        auto shifted = y2 - eta->forward(y1c);
        if (linear())
            shifted = shifted - linearEta(y1, c);
        auto x2 = shifted * torch::exp(-scale(y1c));
        auto x1 = y1 - phi->forward(withCondition(x2, c));
        if (linear())
            x1 = x1 - linearPhi(x2);
        return {x1, x2};
    }
    double clamp;
    bool conditioned;
    DenseBlock phi{nullptr}, rho{nullptr}, eta{nullptr};
    torch::Tensor logAlpha;
};
TORCH_MODULE(CouplingBlock);

/// K coupling blocks between the cover's and the secret's wavelet coefficients.
struct HiNetImpl : torch::nn::Module
{
    explicit HiNetImpl(const HiNetConfig& config = {}) : config(config)
    {
        for (int i = 0; i < config.blocks; ++i)
            blocks.push_back(
                register_module("block" + std::to_string(i),
                                CouplingBlock(config.growth, config.clamp, config.conditioned ? 4 : 0,
                                              config.conditioned && i == 0 ? config.linearAlpha : 0.0)));
    }

    struct HideOutput
    {
        torch::Tensor stego; ///< N×1×H×W
        torch::Tensor r;     ///< N×4×H/2×W/2, the discarded "lost information"
        torch::Tensor stegoDwt;
    };

    /// cover, secret: N×1×H×W in [0, 1], H and W even. `format` is the memory layout the blocks compute
    /// in: ChannelsLast runs the convolutions about twice as fast on a CPU, but rounds differently from
    /// Contiguous, so a reveal must use the layout its seal was made with.
    HideOutput hide(const torch::Tensor& cover, const torch::Tensor& secret,
                    const std::function<void(int)>& onBlock = {},
                    at::MemoryFormat format = at::MemoryFormat::Contiguous)
    {
        auto x1 = haarDwt(cover).contiguous(format), x2 = haarDwt(secret).contiguous(format);
        const auto c = config.conditioned ? x1 : torch::Tensor();
        for (size_t i = 0; i < blocks.size(); ++i) {
            std::tie(x1, x2) = blocks[i]->forward(x1, x2, c);
            if (onBlock)
                onBlock(int(i));
        }
        return {haarIwt(x1), x2, x1};
    }

    /// Runs the blocks backwards from (DWT(stego), z); z = 0 is MedVeil's documented rule. `cover` (the
    /// exact cover the receiver rebuilt from the stego) is required by a conditioned network and ignored
    /// by the plain one.
    torch::Tensor reveal(const torch::Tensor& stego, const torch::Tensor& z, const torch::Tensor& cover = {},
                         const std::function<void(int)>& onBlock = {},
                         at::MemoryFormat format = at::MemoryFormat::Contiguous)
    {
        auto y1 = haarDwt(stego).contiguous(format), y2 = z.contiguous(format);
        const auto c = config.conditioned ? haarDwt(cover).contiguous(format) : torch::Tensor();
        for (size_t i = blocks.size(); i-- > 0;) {
            std::tie(y1, y2) = blocks[i]->inverse(y1, y2, c);
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
