// SPDX-License-Identifier: GPL-3.0-or-later
#include "emr/HiNet.h"

#include "core/InstallLayout.h"
#include "crypto/Digest.h"
#include "io/AtomicFile.h"

#include "emr/HiNetBackend.h"

#include <algorithm>
#include <chrono>
#include <dlfcn.h>
#include <map>
#include <mutex>
#include <unistd.h>

namespace medveil {

namespace fs = std::filesystem;

namespace {

/// The window [x0, x0 + w) × [y0, y0 + h) of the image padded to even width and height by repeating its
/// last row and column, as floats scaled by 1/scale.
std::vector<float> toPlane(const Image& image, int scale, int x0, int y0, int w, int h)
{
    std::vector<float> plane(size_t(w) * size_t(h));
    const float inv = 1.0f / float(scale);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            plane[size_t(y) * size_t(w) + size_t(x)] = std::min(
                1.0f,
                float(image.at(std::min(x0 + x, image.width() - 1), std::min(y0 + y, image.height() - 1))) *
                    inv);
    return plane;
}

/// A window of the padded plane and the part of it that is kept (its core, inside the image).
struct Tile
{
    int x, y, width, height;          ///< the window the network computes
    int coreX, coreY, coreX1, coreY1; ///< kept: [coreX, coreX1) × [coreY, coreY1), image coordinates
};

/// The tiles covering a paddedW × paddedH plane whose image is width × height (see HiNetTiling).
std::vector<Tile> tilesFor(int paddedW, int paddedH, int width, int height, HiNetTiling tiling)
{
    if (tiling.side == 0)
        return {Tile{0, 0, paddedW, paddedH, 0, 0, width, height}};
    std::vector<Tile> tiles;
    const int side = tiling.side, halo = tiling.halo;
    for (int ty = 0; ty < paddedH; ty += side)
        for (int tx = 0; tx < paddedW; tx += side) {
            const int x = std::max(0, tx - halo), y = std::max(0, ty - halo);
            const int x1 = std::min(paddedW, tx + side + halo), y1 = std::min(paddedH, ty + side + halo);
            tiles.push_back(
                Tile{x, y, x1 - x, y1 - y, tx, ty, std::min(width, tx + side), std::min(height, ty + side)});
        }
    return tiles;
}

/// Writes a tile's core from the network's plane into `out`, rounded and clamped to [0, min(max, scale)].
void keepCore(const std::vector<float>& plane, const Tile& tile, int scale, Image& out)
{
    const int maxValue = std::min(out.maxValue(), scale);
    for (int y = tile.coreY; y < tile.coreY1; ++y)
        for (int x = tile.coreX; x < tile.coreX1; ++x) {
            const float v =
                plane[size_t(y - tile.y) * size_t(tile.width) + size_t(x - tile.x)] * float(scale);
            out.set(x, y, std::clamp(static_cast<int>(std::lround(v)), 0, maxValue));
        }
}

Status checkTiling(HiNetTiling tiling)
{
    if (tiling.side % 2 != 0 || tiling.halo % 2 != 0 || (tiling.side == 0 && tiling.halo != 0))
        return makeError(ErrorKind::Internal, "a HiNet tiling has an even side and halo, none when untiled");
    return {};
}

/// SHA-256 of a weights file (empty when it cannot be read; the load itself reports that).
Bytes weightsFileDigest(const fs::path& path)
{
    auto bytes = readFileBytes(path);
    return bytes ? sha256(*bytes) : Bytes{};
}

} // namespace

fs::path HiNetModel::defaultWeightsPath()
{
    return pathFromEnvironment("MEDVEIL_HINET_WEIGHTS", dataDirectory() / "models/hinet.pt");
}

fs::path HiNetModel::defaultPluginPath()
{
    return pathFromEnvironment("MEDVEIL_HINET_PLUGIN", pluginDirectory() / "libmedveil_hinet.so");
}

std::vector<fs::path> HiNetModel::archivedWeightsPaths()
{
    std::vector<fs::path> paths;
    std::error_code ec;
    const fs::path dir = defaultWeightsPath().parent_path() / "archive";
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.path().extension() == ".pt")
            paths.push_back(entry.path());
    std::sort(paths.begin(), paths.end());
    return paths;
}

std::vector<std::shared_ptr<HiNetModel>> HiNetModel::loadArchived(const Bytes& digest)
{
    std::vector<std::shared_ptr<HiNetModel>> models;
    for (const fs::path& path : archivedWeightsPaths()) {
        if (!digest.empty()) {
            if (weightsFileDigest(path) != digest)
                continue;
        }
        if (auto model = load(path))
            models.push_back(std::move(*model));
    }
    return models;
}

Result<std::shared_ptr<HiNetModel>> HiNetModel::loadWithoutWeights(const fs::path& plugin)
{
    return loadFrom(plugin, fs::path());
}

Result<std::shared_ptr<HiNetModel>> HiNetModel::load(const fs::path& weights, const fs::path& plugin)
{
    return loadFrom(plugin, weights.empty() ? defaultWeightsPath() : weights);
}

Result<std::shared_ptr<HiNetModel>> HiNetModel::shared(const fs::path& weights)
{
    static std::mutex mutex;
    // Kept to the very end and never destroyed: LibTorch's own statics (registered by the plugin, after
    // this map) are gone when static destructors reach it, so tearing a model down then is unsafe.
    static auto& models = *std::make_unique<std::map<fs::path, std::shared_ptr<HiNetModel>>>().release();
    const fs::path path = weights.empty() ? defaultWeightsPath() : weights;
    if (!weights.empty()) {
        // Weights the caller named (--model): a name that is wrong is bad input; only the installed default
        // missing is an internal error (loadFrom).
        std::error_code ec;
        if (!fs::is_regular_file(weights, ec))
            return makeError(ErrorKind::BadInput,
                             ec == std::errc::filename_too_long
                                 ? "path too long: the HiNet weights '" + weights.string() + "'"
                                 : "the HiNet weights '" + weights.string() + "' are missing");
    }
    const std::lock_guard lock(mutex);
    if (auto found = models.find(path); found != models.end())
        return found->second;
    MEDVEIL_ASSIGN_OR_RETURN(std::shared_ptr<HiNetModel> model, load(path));
    models.emplace(path, model);
    return model;
}

HiNetSource existingNetwork(HiNetModel& network)
{
    return [&network]() -> Result<std::shared_ptr<HiNetModel>> {
        return std::shared_ptr<HiNetModel>(std::shared_ptr<HiNetModel>(), &network); // not owned
    };
}

HiNetPreload::HiNetPreload(fs::path weights)
    : m_loading(std::async(std::launch::async,
                           [weights = std::move(weights)] { return HiNetModel::shared(weights); }))
{}

HiNetPreload::~HiNetPreload()
{
    if (m_loading.valid())
        m_loading.wait();
}

Result<std::shared_ptr<HiNetModel>> HiNetPreload::get()
{
    return m_loading.get();
}

HiNetSource HiNetPreload::source()
{
    return [this] { return get(); };
}

Result<std::shared_ptr<HiNetModel>> HiNetModel::loadFrom(const fs::path& plugin, const fs::path& weightsPath)
{
    const auto start = std::chrono::steady_clock::now();
    const fs::path pluginPath = plugin.empty() ? defaultPluginPath() : plugin;
    std::shared_ptr<HiNetModel> model(new HiNetModel);
    model->m_handle = ::dlopen(pluginPath.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!model->m_handle)
        return makeError(ErrorKind::Internal, "cannot load the HiNet plugin '" + pluginPath.string() +
                                                  "': " + std::string(::dlerror()));
    using Factory = HiNetBackend* (*)();
    auto factory = reinterpret_cast<Factory>(::dlsym(model->m_handle, "medveil_create_hinet_backend"));
    if (!factory)
        return makeError(ErrorKind::Internal, "the HiNet plugin has no factory");
    model->m_backend.reset(factory());
    if (!weightsPath.empty()) {
        std::error_code ec;
        if (!fs::exists(weightsPath, ec))
            return makeError(ErrorKind::Internal,
                             "the HiNet weights '" + weightsPath.string() + "' are missing");
        MEDVEIL_TRY(model->m_backend->load(weightsPath.string()));
        // Which weights these are: an exact seal names them, and only the same weights reproduce its reveal.
        model->m_weightsDigest = weightsFileDigest(weightsPath);
    }
    model->m_loadMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return model;
}

HiNetModel::~HiNetModel()
{
    m_backend.reset(); // destroy before the code that implements it is unmapped
    // The plugin stays mapped: LibTorch registers static state that must outlive unloading.
}

Result<Image> HiNetModel::hide(const Image& cover, const Image& secret, int secretScale,
                               const JobControl& control, HiNetLayout layout, HiNetTiling tiling)
{
    if (cover.bitDepth() != 8)
        return makeError(ErrorKind::Internal, "the cover (encoded image) must be 8-bit");
    if (cover.width() != secret.width() || cover.height() != secret.height())
        return makeError(ErrorKind::Internal, "cover and secret differ in size");
    if (cover.width() < 2 || cover.height() < 2)
        return makeError(ErrorKind::BadInput, "the image is too small for the network");
    MEDVEIL_TRY(checkTiling(tiling));
    const int w = (cover.width() + 1) / 2 * 2, h = (cover.height() + 1) / 2 * 2;
    MEDVEIL_ASSIGN_OR_RETURN(Image stego, Image::create(cover.width(), cover.height(), 8));
    const std::vector<Tile> tiles = tilesFor(w, h, cover.width(), cover.height(), tiling);
    const std::lock_guard lock(m_backendMutex);
    for (size_t i = 0; i < tiles.size(); ++i) {
        const Tile& t = tiles[i];
        std::vector<float> out;
        MEDVEIL_TRY(m_backend->hide(
            toPlane(cover, 255, t.x, t.y, t.width, t.height),
            toPlane(secret, std::max(1, secretScale), t.x, t.y, t.width, t.height), t.width, t.height,
            layout == HiNetLayout::ChannelsLast, out,
            control.stage(double(i) / double(tiles.size()), double(i + 1) / double(tiles.size()))));
        keepCore(out, t, 255, stego);
    }
    return stego;
}

Result<Image> HiNetModel::reveal(const Image& stego, int bitDepth, int secretScale, const JobControl& control,
                                 const Image& cover, HiNetLayout layout, HiNetTiling tiling)
{
    if (stego.bitDepth() != 8)
        return makeError(ErrorKind::Internal, "the stego image must be 8-bit");
    MEDVEIL_TRY(checkTiling(tiling));
    const int w = (stego.width() + 1) / 2 * 2, h = (stego.height() + 1) / 2 * 2;
    const bool withCover = conditioned();
    if (withCover &&
        (cover.bitDepth() != 8 || cover.width() != stego.width() || cover.height() != stego.height()))
        return makeError(ErrorKind::Internal, "a cover-conditioned HiNet reveals with the rebuilt cover");
    MEDVEIL_ASSIGN_OR_RETURN(Image secret, Image::create(stego.width(), stego.height(), bitDepth));
    const int scale = std::max(1, secretScale);
    const std::vector<Tile> tiles = tilesFor(w, h, stego.width(), stego.height(), tiling);
    const std::lock_guard lock(m_backendMutex);
    for (size_t i = 0; i < tiles.size(); ++i) {
        const Tile& t = tiles[i];
        std::vector<float> out;
        MEDVEIL_TRY(m_backend->reveal(
            toPlane(stego, 255, t.x, t.y, t.width, t.height),
            withCover ? toPlane(cover, 255, t.x, t.y, t.width, t.height) : std::vector<float>(), t.width,
            t.height, layout == HiNetLayout::ChannelsLast, out,
            control.stage(double(i) / double(tiles.size()), double(i + 1) / double(tiles.size()))));
        keepCore(out, t, scale, secret);
    }
    return secret;
}

HiNetTiling HiNetModel::tilingFor(int width, int height, int tileSide) const
{
    const int w = (width + 1) / 2 * 2, h = (height + 1) / 2 * 2;
    if (w <= tileSide && h <= tileSide)
        return {};
    const int halo = (receptiveRadius() + 1) / 2 * 2;
    return {static_cast<uint16_t>(tileSide / 2 * 2), static_cast<uint16_t>(halo)};
}

int HiNetModel::receptiveRadius() const
{
    return m_backend->receptiveRadius();
}

Status HiNetModel::warmUp(int width, int height, const JobControl& control)
{
    MEDVEIL_ASSIGN_OR_RETURN(const Image blank, Image::create(width, height, 8));
    MEDVEIL_ASSIGN_OR_RETURN(const Image stego, hide(blank, blank, 255, control));
    MEDVEIL_ASSIGN_OR_RETURN(const Image revealed, reveal(stego, 8, 255, control, blank));
    (void)revealed;
    return {};
}

bool HiNetModel::conditioned() const
{
    return m_backend->conditioned();
}

std::string HiNetModel::describe() const
{
    return m_backend->describe();
}

Status HiNetModel::selfTest(double& dwtError, double& inverseError)
{
    return m_backend->selfTest(dwtError, inverseError);
}

Status HiNetModel::haarDwt(const std::vector<float>& plane, int width, int height, std::vector<float>& bands)
{
    if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0 ||
        plane.size() != size_t(width) * size_t(height))
        return makeError(ErrorKind::Internal, "the Haar DWT needs an even-sized plane");
    return m_backend->haarDwt(plane, width, height, bands);
}

} // namespace medveil
