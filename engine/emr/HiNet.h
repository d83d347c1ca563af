// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/Bytes.h"
#include "core/Image.h"
#include "core/Progress.h"
#include "core/Result.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace medveil {

class HiNetBackend;

/// The memory layout the network computes in. Both give the same image to within float rounding, but not
/// bit-identical floats: an exact seal's residual completes only the reveal made in the layout it was
/// sealed with, so the sealed parameters record it.
enum class HiNetLayout : uint8_t
{
    Planar = 0,       ///< NCHW; every seal before parameters version 6
    ChannelsLast = 1, ///< NHWC: about twice as fast on a CPU (the default)
};

/// How a hide or reveal covers the image: tiles of `side` × `side` pixels (the last row and column of tiles
/// smaller), each computed with `halo` pixels of context on every side of which only the core is kept, so
/// that memory is bounded by one tile at any image size. side = 0: the whole image at once (every seal
/// before parameters version 8). With a halo of HiNetModel::receptiveRadius() each kept pixel is, in exact
/// arithmetic, the whole image's; LibTorch's floats, however, depend on a tensor's shape in their last bits
/// (where its vector loops end), so an exact seal's residual completes only a reveal made with the tiling it
/// was sealed with, and the sealed parameters record it.
struct HiNetTiling
{
    uint16_t side = 0; ///< even; 0 = untiled
    uint16_t halo = 0; ///< even; 0 when untiled
    bool operator==(const HiNetTiling&) const = default;
};

/// MedVeil's trained grey-scale HiNet (DESIGN §4.2), behind a torch-free interface.
///
/// The LibTorch implementation lives in a plugin loaded on first use (see HiNetBackend). hide() and
/// reveal() accept any size (odd sizes are padded by edge replication and cropped back) and any depth:
/// 8-bit images are scaled by 1/255; 16-bit images by 1/scale, where scale is the image's own peak
/// value (carried by the caller to reveal()), so 12-bit CT/MR data use the network's full range.
/// reveal() is deterministic: the discarded r is replaced by z = 0 (the mean the KL term trains r towards).
class HiNetModel
{
public:
    /// Loads the plugin and weights. Empty paths: MEDVEIL_HINET_PLUGIN / MEDVEIL_HINET_WEIGHTS, else
    /// beside the executable (core/InstallLayout.h: the same in an installed and in the build tree). A
    /// missing plugin or weights file is an Internal error naming it.
    static Result<std::shared_ptr<HiNetModel>> load(const std::filesystem::path& weights = {},
                                                    const std::filesystem::path& plugin = {});

    /// load() once per process and weights file: every later call (any thread) gets the same model, so the
    /// GUI's panels, the teaching walkthrough and the series browser share one network (loading takes
    /// ~0.4 s and ~30 MB). A failed load is not cached.
    static Result<std::shared_ptr<HiNetModel>> shared(const std::filesystem::path& weights = {});
    /// The plugin alone, for selfTest() (no trained weights needed).
    static Result<std::shared_ptr<HiNetModel>> loadWithoutWeights(const std::filesystem::path& plugin = {});

    /// Where load() looks by default.
    static std::filesystem::path defaultWeightsPath();
    /// Weights earlier releases shipped (models/archive/*.pt beside the default weights): an exact seal
    /// opens only with the weights it was made with.
    static std::vector<std::filesystem::path> archivedWeightsPaths();
    /// The archived weights whose SHA-256 is `digest` (all of them when `digest` is empty), loaded.
    static std::vector<std::shared_ptr<HiNetModel>> loadArchived(const Bytes& digest);
    static std::filesystem::path defaultPluginPath();

    ~HiNetModel();
    HiNetModel(const HiNetModel&) = delete;
    HiNetModel& operator=(const HiNetModel&) = delete;

    /// Hides `secret` (8- or 16-bit) in the 8-bit `cover`; returns the stego rounded to 8 bits.
    /// `secretScale` is the value mapped to 1.0 (255 for 8-bit; the peak value for 16-bit).
    Result<Image> hide(const Image& cover, const Image& secret, int secretScale,
                       const JobControl& control = {}, HiNetLayout layout = HiNetLayout::ChannelsLast,
                       HiNetTiling tiling = {});

    /// Reveals the secret from an 8-bit stego as an image of `bitDepth` bits scaled back by `secretScale`.
    /// A cover-conditioned network (conditioned()) needs `cover`, the exact cover the receiver rebuilds
    /// from the stego (EmrImageCodec::reconstructCover); the plain network ignores it.
    Result<Image> reveal(const Image& stego, int bitDepth, int secretScale, const JobControl& control = {},
                         const Image& cover = {}, HiNetLayout layout = HiNetLayout::ChannelsLast,
                         HiNetTiling tiling = {});

    /// Tiles of kTileSide pixels for an image larger than one tile, with a halo of receptiveRadius()
    /// (rounded up to even); the whole image (side 0) when it fits in one tile. What new seals use: a tile
    /// of 1024² and its halo (1184²) holds the network in ≈ 0.3 GB (≈ 190 bytes per pixel of the tile).
    [[nodiscard]] HiNetTiling tilingFor(int width, int height, int tileSide = kTileSide) const;
    static constexpr int kTileSide = 1024;
    /// See HiNetBackend::receptiveRadius.
    [[nodiscard]] int receptiveRadius() const;

    /// True when the weights are a cover-conditioned HiNet.
    [[nodiscard]] bool conditioned() const;

    /// One hide and one reveal of a blank `width` × `height` image in the default layout, so that the first
    /// real call of that size does not pay LibTorch's one-time costs (its thread pool, oneDNN's kernels
    /// generated for the shape, the allocator's first buffers): the GUI runs it in the background at start.
    /// Results of later calls are unchanged (the same kernels compute them either way).
    Status warmUp(int width = 512, int height = 512, const JobControl& control = {});

    [[nodiscard]] std::string describe() const;
    /// See HiNetBackend::selfTest.
    Status selfTest(double& dwtError, double& inverseError);
    /// See HiNetBackend::haarDwt.
    Status haarDwt(const std::vector<float>& plane, int width, int height, std::vector<float>& bands);

    /// SHA-256 of the weights file (empty when loaded without weights).
    [[nodiscard]] const Bytes& weightsDigest() const { return m_weightsDigest; }
    /// Milliseconds the plugin and weights took to load.
    [[nodiscard]] double loadMs() const { return m_loadMs; }

private:
    HiNetModel() = default;
    static Result<std::shared_ptr<HiNetModel>> loadFrom(const std::filesystem::path& plugin,
                                                        const std::filesystem::path& weights);
    void* m_handle = nullptr;
    std::mutex m_backendMutex; ///< one hide/reveal at a time: a shared model may be called from two jobs
    std::unique_ptr<HiNetBackend> m_backend;
    double m_loadMs = 0;
    Bytes m_weightsDigest;
};

/// Where an EMR seal or open gets its network when it first needs it: the work that does not need the network
/// (decryption, decoding, hashing) runs first, while the network may still be loading (HiNetPreload).
using HiNetSource = std::function<Result<std::shared_ptr<HiNetModel>>()>;

/// A network that is there already, as a HiNetSource (not owned: it must outlive the call).
HiNetSource existingNetwork(HiNetModel& network);

/// HiNetModel::shared(weights) loading on another thread from construction, for a command that runs the
/// network once in a fresh process (emr-seal, emr-open): LibTorch's load (≈ 0.5 s, nearly all of it the
/// dlopen of Debian's libtorch_cpu and the 240-odd libraries it needs) then overlaps everything the command
/// does before the network's first pass (reading the files and keys: emr-open's passphrase is PBKDF2, ≈ 0.4
/// s; checking and decrypting the seal) on the other core. The destructor waits for the load.
class HiNetPreload
{
public:
    explicit HiNetPreload(std::filesystem::path weights = {});
    ~HiNetPreload();
    HiNetPreload(const HiNetPreload&) = delete;
    HiNetPreload& operator=(const HiNetPreload&) = delete;

    /// Waits for the load and returns shared()'s result.
    Result<std::shared_ptr<HiNetModel>> get();
    /// get() when called, as a HiNetSource (this must outlive it).
    HiNetSource source();

private:
    std::shared_future<Result<std::shared_ptr<HiNetModel>>> m_loading;
};

} // namespace medveil
