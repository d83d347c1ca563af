// SPDX-License-Identifier: GPL-3.0-or-later
// train_hinet: trains MedVeil's grey-scale HiNet (DESIGN §4.2) on CPU or CUDA.
// Secrets: real MRI slices (tools/extract_hinet_slices.py; volume-level held-out split). Covers: encoded
// images of random synthetic EMRs (EmrImageCodec, base 4). Losses: concealing, revealing, low-frequency
// (LL subband) and the KL term on the discarded r; the stego is rounded to 8 bits inside the loop
// (straight-through). Adam + gradient clipping; a watchdog rolls back to the last good state when the
// loss explodes; one resumable checkpoint file; a CSV log with validation PSNR/SSIM per epoch.
#include "emr/EmrImageCodec.h"
#include "emr/hinet/HiNetNetwork.h"
#include "io/ImageIo.h"
#include "metrics/ImageMetrics.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <sstream>

using namespace medveil;
using namespace medveil::hinet;
namespace fs = std::filesystem;

namespace {

struct Options
{
    std::string train = "build/hinet-data/train";
    std::string val = "build/hinet-data/heldout";
    std::string notes = MEDVEIL_SOURCE_DIR "/tests/data/emr";
    std::string out = "train-runs/hinet";
    std::string exportPath;
    int steps = 20000;
    int epochSteps = 200;
    int batch = 8;
    int crop = 64;
    int valSize = 256;
    int valCount = 24;
    HiNetConfig net;
    double lr = 1e-3;
    int decaySteps = 4000; ///< the learning rate halves every decaySteps steps
    // The KL term is kept small: MedVeil reveals with z = 0, so the revealing loss already pushes the
    // discarded r towards 0, and a strong pull towards N(0, 1) fights it (measured: 25 dB plateau at 0.01).
    double lambdaConceal = 1.0, lambdaReveal = 1.0, lambdaLow = 0.5, lambdaKl = 1e-4;
    double clipNorm = 5.0;
    unsigned seed = 20261121;
    int threads = 0;
    double maxMinutes = 0;
    bool smoke = false;
    bool cuda = false;
};

void usage()
{
    std::cout
        << "usage: train_hinet [--train DIR] [--val DIR] [--out DIR] [--steps N] [--epoch-steps N] [--batch "
           "B]\n"
           "                   [--crop C] [--blocks K] [--growth G] [--lr LR] [--decay-steps N]\n"
           "                   [--lambda-kl W] [--lambda-reveal W]\n"
           "                   [--seed S] [--threads T]\n"
           "                   [--max-minutes M] [--val-size S] [--val-count N] [--cuda]\n"
           "       train_hinet --smoke            (CI: a few steps on tiny data; exit 1 unless the loss "
           "falls)\n"
           "       train_hinet --export OUT.pt [--out DIR]   (deployable weights from the checkpoint)\n";
}

bool parse(int argc, char** argv, Options& o)
{
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc)
                throw std::invalid_argument("missing value for " + a);
            return argv[++i];
        };
        if (a == "--train")
            o.train = next();
        else if (a == "--val")
            o.val = next();
        else if (a == "--notes")
            o.notes = next();
        else if (a == "--out")
            o.out = next();
        else if (a == "--export")
            o.exportPath = next();
        else if (a == "--steps")
            o.steps = std::stoi(next());
        else if (a == "--epoch-steps")
            o.epochSteps = std::stoi(next());
        else if (a == "--batch")
            o.batch = std::stoi(next());
        else if (a == "--crop")
            o.crop = std::stoi(next());
        else if (a == "--blocks")
            o.net.blocks = std::stoi(next());
        else if (a == "--growth")
            o.net.growth = std::stoi(next());
        else if (a == "--lr")
            o.lr = std::stod(next());
        else if (a == "--lambda-kl")
            o.lambdaKl = std::stod(next());
        else if (a == "--lambda-conceal")
            o.lambdaConceal = std::stod(next());
        else if (a == "--lambda-reveal")
            o.lambdaReveal = std::stod(next());
        else if (a == "--decay-steps")
            o.decaySteps = std::stoi(next());
        else if (a == "--seed")
            o.seed = static_cast<unsigned>(std::stoul(next()));
        else if (a == "--threads")
            o.threads = std::stoi(next());
        else if (a == "--max-minutes")
            o.maxMinutes = std::stod(next());
        else if (a == "--val-size")
            o.valSize = std::stoi(next());
        else if (a == "--val-count")
            o.valCount = std::stoi(next());
        else if (a == "--smoke")
            o.smoke = true;
        else if (a == "--cuda")
            o.cuda = true;
        else if (a == "--help" || a == "-h") {
            usage();
            std::exit(0);
        } else
            throw std::invalid_argument("unknown option " + a);
    }
    return true;
}

torch::Tensor toTensor(const Image& image)
{
    cv::Mat f;
    image.mat().convertTo(f, CV_32F, 1.0 / image.maxValue());
    return torch::from_blob(f.data, {1, 1, f.rows, f.cols}, torch::kFloat32).clone();
}

Image toImage8(const torch::Tensor& t)
{
    auto q = (t.detach().to(torch::kCPU).squeeze().clamp(0, 1) * 255).round().to(torch::kUInt8).contiguous();
    cv::Mat m(int(q.size(0)), int(q.size(1)), CV_8UC1, q.data_ptr<uint8_t>());
    return *Image::fromMat(m.clone());
}

std::vector<torch::Tensor> loadFolder(const std::string& dir, int limit = 0)
{
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".png")
            files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::vector<torch::Tensor> out;
    for (const auto& f : files) {
        auto image = readImage(f);
        if (image)
            out.push_back(toTensor(*image));
        if (limit > 0 && int(out.size()) >= limit)
            break;
    }
    return out;
}

/// Synthetic EMRs: random fragments of the real-style notes, random ASCII and CJK, random length.
class EmrGenerator
{
public:
    EmrGenerator(const std::string& notesDir, unsigned seed) : m_rng(seed)
    {
        for (const auto& e : fs::directory_iterator(notesDir)) {
            std::ifstream in(e.path(), std::ios::binary);
            std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            std::istringstream lines(text);
            for (std::string line; std::getline(lines, line);)
                if (!line.empty() && findInvalidUtf8(line) == std::string::npos)
                    m_lines.push_back(line + "\n");
        }
        if (m_lines.empty())
            m_lines.push_back("Patient stable.\n");
    }
    std::string next(size_t maxBytes)
    {
        const size_t target = std::uniform_int_distribution<size_t>(0, maxBytes)(m_rng);
        std::string text;
        while (true) {
            std::string piece;
            switch (m_rng() % 3) {
            case 0:
                piece = m_lines[m_rng() % m_lines.size()];
                break;
            case 1:
                for (int i = 0; i < 12; ++i)
                    piece += char(32 + m_rng() % 95);
                break;
            default:
                for (int i = 0; i < 4; ++i) { // U+4E00..U+9FFF
                    const uint32_t cp = 0x4E00 + m_rng() % 0x5200;
                    piece += char(0xE0 | (cp >> 12));
                    piece += char(0x80 | ((cp >> 6) & 0x3F));
                    piece += char(0x80 | (cp & 0x3F));
                }
            }
            if (text.size() + piece.size() > target)
                return text;
            text += piece;
        }
    }

private:
    std::mt19937 m_rng;
    std::vector<std::string> m_lines;
};

struct Losses
{
    torch::Tensor total, conceal, reveal, low, kl;
};

Losses computeLosses(HiNet& net, const torch::Tensor& cover, const torch::Tensor& secret, const Options& o)
{
    auto out = net->hide(cover, secret);
    // Round the stego to 8 bits as the app stores it; gradients pass straight through.
    auto quantised = out.stego + ((out.stego.clamp(0, 1) * 255).round() / 255 - out.stego).detach();
    auto revealed = net->reveal(quantised, torch::zeros_like(out.r));
    Losses l;
    l.conceal = torch::mse_loss(out.stego, cover);
    l.reveal = torch::mse_loss(revealed, secret);
    l.low = torch::mse_loss(out.stegoDwt.narrow(1, 0, 1), haarDwt(cover).narrow(1, 0, 1));
    // KL(N(μ, σ²) ‖ N(0, 1)) of the discarded r, so that z = 0 at reveal matches it.
    auto mu = out.r.mean(), var = out.r.var() + 1e-6;
    l.kl = 0.5 * (mu * mu + var - 1 - torch::log(var));
    l.total =
        o.lambdaConceal * l.conceal + o.lambdaReveal * l.reveal + o.lambdaLow * l.low + o.lambdaKl * l.kl;
    return l;
}

struct Batch
{
    torch::Tensor cover, secret;
};

Batch sampleBatch(const std::vector<torch::Tensor>& secrets, EmrGenerator& emr, std::mt19937& rng, int batch,
                  int crop)
{
    const EmrImageCodec codec(4);
    std::vector<torch::Tensor> covers, crops;
    for (int b = 0; b < batch; ++b) {
        const auto& s = secrets[rng() % secrets.size()];
        const int h = int(s.size(2)), w = int(s.size(3));
        const int y = int(rng() % uint32_t(h - crop + 1)), x = int(rng() % uint32_t(w - crop + 1));
        auto c = s.narrow(2, y, crop).narrow(3, x, crop);
        if (rng() & 1)
            c = c.flip({3});
        crops.push_back(c);
        Bytes key(32);
        for (auto& k : key)
            k = uint8_t(rng());
        const Image cover = *codec.encode(emr.next(codec.capacityBytes(crop, crop)), crop, crop, key);
        covers.push_back(toTensor(cover));
    }
    return {torch::cat(covers, 0), torch::cat(crops, 0)};
}

struct Validation
{
    double stegoPsnr = 0, stegoSsim = 0, revealPsnr = 0, revealSsim = 0, emrExact = 0;
    double stegoPsnrMin = 1e9, revealPsnrMin = 1e9;
};

Validation validate(HiNet& net, const std::vector<torch::Tensor>& val, const std::vector<std::string>& notes,
                    int size, torch::Device device)
{
    torch::NoGradGuard guard;
    net->eval();
    const EmrImageCodec codec(4);
    Validation v;
    for (size_t i = 0; i < val.size(); ++i) {
        auto secret =
            torch::nn::functional::interpolate(val[i], torch::nn::functional::InterpolateFuncOptions()
                                                           .size(std::vector<int64_t>{size, size})
                                                           .mode(torch::kBilinear)
                                                           .align_corners(false));
        secret = ((secret.clamp(0, 1) * 255).round() / 255);
        const std::string& note = notes[i % notes.size()];
        const Bytes key(32, uint8_t(i));
        const Image coverImage = *codec.encode(note, size, size, key);
        auto out = net->hide(toTensor(coverImage).to(device), secret.to(device));
        const Image stego = toImage8(out.stego);
        const Image secretImage = toImage8(secret);
        auto revealed = net->reveal(toTensor(stego).to(device), torch::zeros_like(out.r));
        const Image revealedImage = toImage8(revealed);
        const double sp = *psnr(coverImage, stego), rp = *psnr(secretImage, revealedImage);
        v.stegoPsnr += sp;
        v.revealPsnr += rp;
        v.stegoPsnrMin = std::min(v.stegoPsnrMin, sp);
        v.revealPsnrMin = std::min(v.revealPsnrMin, rp);
        v.stegoSsim += *ssim(coverImage, stego);
        v.revealSsim += *ssim(secretImage, revealedImage);
        auto decoded = EmrImageCodec::decode(stego);
        v.emrExact += decoded && *decoded == note;
    }
    const double n = double(val.size());
    v.stegoPsnr /= n, v.revealPsnr /= n, v.stegoSsim /= n, v.revealSsim /= n, v.emrExact /= n;
    net->train();
    return v;
}

void saveCheckpoint(HiNet& net, torch::optim::Adam& optimizer, int64_t step, double lrScale,
                    const std::string& path)
{
    torch::serialize::OutputArchive archive, model, optim;
    net->save(model);
    optimizer.save(optim);
    archive.write("model", model);
    archive.write("optimizer", optim);
    archive.write("step", torch::tensor(step));
    archive.write("lr", torch::tensor(lrScale));
    archive.write("config", torch::tensor({int64_t(net->config.blocks), int64_t(net->config.growth)}));
    const std::string temp = path + ".tmp";
    archive.save_to(temp);
    fs::rename(temp, path);
}

void exportWeights(HiNet& net, const std::string& path)
{
    torch::serialize::OutputArchive archive, model;
    net->to(torch::kCPU);
    net->save(model);
    archive.write("model", model);
    archive.write("config", torch::tensor({int64_t(net->config.blocks), int64_t(net->config.growth)}));
    archive.write("clamp", torch::tensor(net->config.clamp));
    archive.write("format", torch::tensor(int64_t(1)));
    const std::string temp = path + ".tmp";
    archive.save_to(temp);
    fs::rename(temp, path);
}

HiNetConfig checkpointConfig(const std::string& path, HiNetConfig fallback)
{
    if (!fs::exists(path))
        return fallback;
    torch::serialize::InputArchive archive;
    archive.load_from(path);
    torch::Tensor config;
    archive.read("config", config);
    fallback.blocks = int(config[0].item<int64_t>());
    fallback.growth = int(config[1].item<int64_t>());
    return fallback;
}

} // namespace

int main(int argc, char** argv)
{
    Options o;
    try {
        parse(argc, argv, o);
    } catch (const std::exception& e) {
        std::cerr << "train_hinet: " << e.what() << "\n";
        usage();
        return 1;
    }
    if (o.smoke) {
        o.train = MEDVEIL_SOURCE_DIR "/tests/data/corpus";
        o.val = o.train;
        o.steps = 40;
        o.epochSteps = 40;
        o.batch = 2;
        o.crop = 32;
        o.net.blocks = 2;
        o.net.growth = 8;
        o.valSize = 64;
        o.valCount = 2;
        o.lr = 1e-3;
        o.out = (fs::temp_directory_path() / ("train_hinet_smoke_" + std::to_string(::getpid()))).string();
    }
    const int threads = o.threads > 0 ? o.threads : int(std::thread::hardware_concurrency());
    at::set_num_threads(threads);
    torch::manual_seed(o.seed);
    const torch::Device device = o.cuda && torch::cuda::is_available() ? torch::kCUDA : torch::kCPU;
    fs::create_directories(o.out);
    const std::string checkpoint = o.out + "/checkpoint.pt";
    o.net = checkpointConfig(checkpoint, o.net);
    HiNet net(o.net);
    torch::optim::Adam optimizer(net->parameters(),
                                 torch::optim::AdamOptions(o.lr).betas({0.5, 0.999}).eps(1e-6));
    int64_t step = 0;
    double lrScale = 1.0; // halved by the watchdog at each rollback, doubled back after a calm stretch
    constexpr int kCalmStepsToRestoreLr = 1000;
    if (fs::exists(checkpoint)) {
        torch::serialize::InputArchive archive, model, optim;
        archive.load_from(checkpoint);
        archive.read("model", model);
        archive.read("optimizer", optim);
        net->load(model);
        optimizer.load(optim);
        torch::Tensor s, l;
        archive.read("step", s);
        archive.read("lr", l);
        step = s.item<int64_t>();
        lrScale = l.item<double>();
        std::cout << "resumed from " << checkpoint << " at step " << step << "\n";
    }
    net->to(device);
    if (!o.exportPath.empty()) {
        exportWeights(net, o.exportPath);
        std::cout << "exported " << o.exportPath << " (" << o.net.blocks << " blocks, growth " << o.net.growth
                  << ")\n";
        return 0;
    }
    int64_t parameters = 0;
    for (const auto& p : net->parameters())
        parameters += p.numel();
    std::cout << "HiNet: " << o.net.blocks << " blocks, growth " << o.net.growth << ", " << parameters
              << " parameters, crop " << o.crop << ", batch " << o.batch << ", " << threads << " threads, "
              << (device.is_cuda() ? "CUDA" : "CPU") << "\n";

    const auto secrets = loadFolder(o.train);
    const auto val = loadFolder(o.val, o.valCount);
    if (secrets.empty() || val.empty()) {
        std::cerr << "train_hinet: no training/validation images (run tools/extract_hinet_slices.py)\n";
        return 2;
    }
    std::vector<std::string> notes;
    for (const auto& e : fs::directory_iterator(o.notes)) {
        std::ifstream in(e.path(), std::ios::binary);
        notes.emplace_back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    }
    std::sort(notes.begin(), notes.end());
    EmrGenerator emr(o.notes, o.seed + unsigned(step));
    std::mt19937 rng(o.seed + unsigned(step) * 7919u);
    const std::string csvPath = o.out + "/log.csv";
    const bool newLog = !fs::exists(csvPath);
    std::ofstream csv(csvPath, std::ios::app);
    if (newLog)
        csv << "step,epoch,lr,loss,conceal,reveal,low,kl,val_stego_psnr,val_stego_psnr_min,val_stego_ssim,"
               "val_reveal_psnr,val_reveal_psnr_min,val_reveal_ssim,val_emr_exact,seconds\n";

    // Watchdog state: the last good weights and optimiser state, in memory.
    std::stringstream goodState;
    auto remember = [&] {
        goodState.str("");
        goodState.clear();
        torch::serialize::OutputArchive a, m, opt;
        net->save(m);
        optimizer.save(opt);
        a.write("model", m);
        a.write("optimizer", opt);
        a.save_to(goodState);
    };
    auto rollback = [&] {
        torch::serialize::InputArchive a, m, opt;
        goodState.seekg(0);
        a.load_from(goodState, device);
        a.read("model", m);
        a.read("optimizer", opt);
        net->load(m);
        optimizer.load(opt);
    };
    remember();
    std::vector<double> recent;
    double firstLosses = 0, lastLosses = 0;
    int rollbacks = 0;
    int calmSteps = 0; // steps since the last rollback or lr restoration
    const auto start = std::chrono::steady_clock::now();
    double sums[5] = {0, 0, 0, 0, 0};
    int counted = 0;
    while (step < o.steps) {
        if (o.maxMinutes > 0 &&
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >
                o.maxMinutes * 60)
            break;
        const double lr = o.lr * lrScale * std::pow(0.5, double(step) / std::max(1, o.decaySteps));
        for (auto& group : optimizer.param_groups())
            static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
        // The smoke test overfits one fixed batch, so "the loss falls" is a deterministic check.
        static const Batch fixedBatch = o.smoke ? sampleBatch(secrets, emr, rng, o.batch, o.crop) : Batch{};
        const Batch b = o.smoke ? fixedBatch : sampleBatch(secrets, emr, rng, o.batch, o.crop);
        optimizer.zero_grad();
        Losses l = computeLosses(net, b.cover.to(device), b.secret.to(device), o);
        const double value = l.total.item<double>();
        // Watchdog: non-finite or > 20× the recent median → roll back and halve the learning rate.
        std::vector<double> sorted = recent;
        std::sort(sorted.begin(), sorted.end());
        const double median = sorted.empty() ? value : sorted[sorted.size() / 2];
        if (!std::isfinite(value) || (recent.size() >= 20 && value > 20 * median)) {
            rollback();
            lrScale *= 0.5;
            ++rollbacks;
            calmSteps = 0;
            recent.clear(); // the restored state has its own loss level
            std::cout << "step " << step << ": loss " << value << " exploded (median " << median
                      << "); rolled back, learning rate x" << lrScale << std::endl;
            continue;
        }
        l.total.backward();
        torch::nn::utils::clip_grad_norm_(net->parameters(), o.clipNorm);
        optimizer.step();
        // A rollback's halving is a reaction to one bad region, not a permanent verdict: without this the
        // first run's two blow-ups left Adam at a quarter of its rate for good and training stalled.
        if (++calmSteps >= kCalmStepsToRestoreLr && lrScale < 1.0) {
            lrScale = std::min(1.0, lrScale * 2);
            calmSteps = 0;
            std::cout << "step " << step << ": calm for " << kCalmStepsToRestoreLr
                      << " steps; learning rate x" << lrScale << std::endl;
        }
        recent.push_back(value);
        if (recent.size() > 50)
            recent.erase(recent.begin());
        if (step % 50 == 0 && recent.size() >= 20)
            remember(); // a recent good state to roll back to
        if (step < 5)
            firstLosses += value / 5;
        if (step >= o.steps - 5)
            lastLosses += value / 5;
        sums[0] += value, sums[1] += l.conceal.item<double>(), sums[2] += l.reveal.item<double>();
        sums[3] += l.low.item<double>(), sums[4] += l.kl.item<double>();
        ++counted;
        ++step;
        if (step % o.epochSteps == 0 || step == o.steps) {
            const Validation v = validate(net, val, notes, o.valSize, device);
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            char line[512];
            std::snprintf(line, sizeof line,
                          "%ld,%ld,%.3g,%.6g,%.6g,%.6g,%.6g,%.6g,%.3f,%.3f,%.5f,%.3f,%.3f,%.5f,%.3f,%.0f",
                          long(step), long(step / o.epochSteps), lr, sums[0] / counted, sums[1] / counted,
                          sums[2] / counted, sums[3] / counted, sums[4] / counted, v.stegoPsnr,
                          v.stegoPsnrMin, v.stegoSsim, v.revealPsnr, v.revealPsnrMin, v.revealSsim,
                          v.emrExact, seconds);
            csv << line << "\n" << std::flush;
            std::cout << line << std::endl;
            std::fill(std::begin(sums), std::end(sums), 0.0);
            counted = 0;
            if (std::isfinite(v.stegoPsnr) && std::isfinite(v.revealPsnr))
                remember();
            if (!o.smoke)
                saveCheckpoint(net, optimizer, step, lrScale, checkpoint);
        }
    }
    if (!o.smoke) {
        saveCheckpoint(net, optimizer, step, lrScale, checkpoint);
        std::cout << "checkpoint " << checkpoint << " at step " << step << " (" << rollbacks
                  << " rollbacks)\n";
        return 0;
    }
    std::cout << "smoke: mean loss of the first 5 steps " << firstLosses << ", last 5 steps " << lastLosses
              << "\n";
    fs::remove_all(o.out);
    return lastLosses < firstLosses * 0.7 ? 0 : 1;
}
