// SPDX-License-Identifier: GPL-3.0-or-later
// The LibTorch side of HiNetModel, built as libmedveil_hinet.so and loaded with dlopen.
#include "emr/HiNetBackend.h"
#include "emr/hinet/HiNetNetwork.h"

#include <omp.h>
#include <thread>

namespace medveil {

namespace {

class TorchHiNetBackend final : public HiNetBackend
{
public:
    TorchHiNetBackend() = default;

    Status load(const std::string& path) override
    {
        try {
            torch::serialize::InputArchive archive, model;
            archive.load_from(path);
            torch::Tensor config, clamp;
            archive.read("config", config);
            archive.read("clamp", clamp);
            hinet::HiNetConfig c;
            c.blocks = int(config[0].item<int64_t>());
            c.growth = int(config[1].item<int64_t>());
            c.clamp = clamp.item<double>();
            c.conditioned = config.numel() > 2 && config[2].item<int64_t>() != 0;
            torch::Tensor alpha;
            c.linearAlpha = archive.try_read("linear_alpha", alpha) ? alpha.item<double>() : 0.0;
            m_net = hinet::HiNet(c);
            archive.read("model", model);
            m_net->load(model);
            m_net->eval();
            m_loaded = true;
            return {};
        } catch (const std::exception& e) {
            return makeError(ErrorKind::Internal,
                             "cannot read the HiNet weights '" + path + "': " + e.what());
        }
    }

    Status hide(const std::vector<float>& cover, const std::vector<float>& secret, int width, int height,
                bool channelsLast, std::vector<float>& stego, const JobControl& control) override
    {
        if (!m_loaded)
            return makeError(ErrorKind::Internal, "HiNet weights are not loaded");
        try {
            // Inference mode: no autograd bookkeeping (version counters, views); the same kernels and floats.
            useEveryCore();
            c10::InferenceMode guard;
            const auto c = plane(cover, width, height), s = plane(secret, width, height);
            bool cancelled = false;
            auto out = m_net->hide(
                c, s, [&](int block) { cancelled = cancelled || progress(control, block); },
                memoryFormat(channelsLast));
            if (cancelled)
                return makeError(ErrorKind::Cancelled, "cancelled");
            stego = toVector(out.stego);
            return {};
        } catch (const std::exception& e) {
            return makeError(ErrorKind::Internal, std::string("HiNet hide failed: ") + e.what());
        }
    }

    Status reveal(const std::vector<float>& stego, const std::vector<float>& cover, int width, int height,
                  bool channelsLast, std::vector<float>& secret, const JobControl& control) override
    {
        if (!m_loaded)
            return makeError(ErrorKind::Internal, "HiNet weights are not loaded");
        if (m_net->config.conditioned && cover.size() != stego.size())
            return makeError(ErrorKind::Internal,
                             "a cover-conditioned HiNet needs the rebuilt cover to reveal");
        try {
            useEveryCore();
            c10::InferenceMode guard;
            const auto s = plane(stego, width, height);
            const auto c = m_net->config.conditioned ? plane(cover, width, height) : torch::Tensor();
            const auto z = torch::zeros({1, 4, height / 2, width / 2});
            bool cancelled = false;
            auto out = m_net->reveal(
                s, z, c, [&](int block) { cancelled = cancelled || progress(control, block); },
                memoryFormat(channelsLast));
            if (cancelled)
                return makeError(ErrorKind::Cancelled, "cancelled");
            secret = toVector(out);
            return {};
        } catch (const std::exception& e) {
            return makeError(ErrorKind::Internal, std::string("HiNet reveal failed: ") + e.what());
        }
    }

    bool conditioned() const override { return m_loaded && m_net->config.conditioned; }

    int receptiveRadius() const override
    {
        // A 3×3 convolution reaches one wavelet coefficient further; a dense block chains five; a coupling
        // block, either way, runs a second dense block on the first one's result (φ, then ρ and η). One
        // coefficient is two pixels, and the condition (the cover's DWT) is pointwise.
        constexpr int kConvolutionsPerDenseBlock = 5, kDenseBlocksInSeries = 2, kPixelsPerCoefficient = 2;
        return m_loaded ? kPixelsPerCoefficient * kDenseBlocksInSeries * kConvolutionsPerDenseBlock *
                              m_net->config.blocks
                        : 0;
    }

    std::string describe() const override
    {
        if (!m_loaded)
            return "HiNet (no weights)";
        int64_t parameters = 0;
        for (const auto& p : m_net->parameters())
            parameters += p.numel();
        return std::string(m_net->config.conditioned ? "cover-conditioned HiNet, " : "HiNet, ") +
               std::to_string(m_net->config.blocks) + " coupling blocks, growth " +
               std::to_string(m_net->config.growth) + ", " + std::to_string(parameters) + " parameters";
    }

    Status selfTest(double& dwtError, double& inverseError) override
    {
        try {
            useEveryCore();
            torch::NoGradGuard guard;
            torch::manual_seed(7);
            const auto x = torch::rand({2, 1, 34, 26});
            dwtError = (hinet::haarIwt(hinet::haarDwt(x)) - x).abs().max().item<double>();
            hinet::HiNetConfig config;
            config.blocks = 3;
            config.growth = 8;
            hinet::HiNet net(config);
            // Random (not zero) last layers so the blocks are far from the identity.
            for (auto& p : net->parameters())
                p.normal_(0, 0.05);
            inverseError = 0;
            auto x1 = torch::rand({2, 4, 17, 13}), x2 = torch::rand({2, 4, 17, 13});
            for (auto& block : net->blocks) {
                auto [y1, y2] = block->forward(x1, x2);
                auto [r1, r2] = block->inverse(y1, y2);
                inverseError = std::max({inverseError, (r1 - x1).abs().max().item<double>(),
                                         (r2 - x2).abs().max().item<double>()});
                x1 = y1, x2 = y2;
            }
            // The conditioned network with the linear path: hide then reveal with the true r gives the
            // secret back given the cover.
            hinet::HiNetConfig conditionedConfig = config;
            conditionedConfig.conditioned = true;
            conditionedConfig.linearAlpha = 0.24;
            hinet::HiNet conditionedNet(conditionedConfig);
            for (auto& p : conditionedNet->parameters())
                if (p.dim() > 1)
                    p.normal_(0, 0.05);
            const auto cover = torch::rand({2, 1, 34, 26}), secret = torch::rand({2, 1, 34, 26});
            for (const auto format : {at::MemoryFormat::Contiguous, at::MemoryFormat::ChannelsLast}) {
                auto hidden = conditionedNet->hide(cover, secret, {}, format);
                const auto back = conditionedNet->reveal(hidden.stego, hidden.r, cover, {}, format);
                inverseError = std::max(inverseError, (back - secret).abs().max().item<double>());
            }
            return {};
        } catch (const std::exception& e) {
            return makeError(ErrorKind::Internal, std::string("HiNet self-test failed: ") + e.what());
        }
    }

    Status haarDwt(const std::vector<float>& plane, int width, int height, std::vector<float>& bands) override
    {
        try {
            useEveryCore();
            torch::NoGradGuard guard;
            bands = toVector(hinet::haarDwt(this->plane(plane, width, height)));
            return {};
        } catch (const std::exception& e) {
            return makeError(ErrorKind::Internal, std::string("Haar DWT failed: ") + e.what());
        }
    }

private:
    /// The calling thread computes with one OpenMP thread per core (LibTorch's own default for a thread is
    /// cpuinfo's count of physical cores, which can be fewer). Not at::set_num_threads(), which also starts
    /// caffe2's pthreadpool (for QNNPACK and XNNPACK, which this network never runs): its idle workers spun
    /// ≈ 40 ms of CPU in every emr-seal and emr-open. omp_set_num_threads comes from the OpenMP runtime
    /// LibTorch itself loads. LibTorch's once-per-thread setup runs first (at::get_num_threads), or it would
    /// reset the count at the first parallel loop.
    void useEveryCore() const
    {
        (void)at::get_num_threads();
        omp_set_num_threads(m_threads);
    }

    static at::MemoryFormat memoryFormat(bool channelsLast)
    {
        return channelsLast ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
    }
    static torch::Tensor plane(const std::vector<float>& data, int width, int height)
    {
        auto t =
            torch::from_blob(const_cast<float*>(data.data()), {1, 1, height, width}, torch::kFloat32).clone();
        return t;
    }
    static std::vector<float> toVector(const torch::Tensor& t)
    {
        const auto c = t.contiguous().to(torch::kFloat32);
        return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
    }
    /// Reports progress per block; returns true when the caller cancelled.
    bool progress(const JobControl& control, int block) const
    {
        control.report(double(block + 1) / double(m_net->config.blocks), "HiNet");
        return control.cancelled();
    }

    hinet::HiNet m_net{nullptr};
    bool m_loaded = false;
    const int m_threads = int(std::max(1u, std::thread::hardware_concurrency()));
};

} // namespace
} // namespace medveil

extern "C" __attribute__((visibility("default"))) medveil::HiNetBackend* medveil_create_hinet_backend()
{
    return new medveil::TorchHiNetBackend; // ownership passes to HiNetModel's unique_ptr
}
