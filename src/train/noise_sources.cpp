#include "noise_sources.h"

#include <algorithm>
#include <cmath>

#include "s4scope/error.h"

namespace s4scope::train {
namespace {

void toUnitRms(std::vector<float>& x) {
    double mean = 0;
    for (float s : x) mean += s;
    mean /= double(std::max<size_t>(x.size(), 1));
    double power = 0;
    for (float& s : x) {
        s = float(s - mean);
        power += double(s) * s;
    }
    const double rms = std::sqrt(power / double(std::max<size_t>(x.size(), 1)));
    if (rms > 0)
        for (float& s : x) s = float(s / rms);
}

// A random stretch of `source` of `length` samples, wrapping around (sources may be shorter).
void addStretch(std::vector<float>& out, const std::vector<float>& source, double gain, Rng& rng) {
    if (source.empty()) return;
    size_t at = size_t(rng.below(source.size()));
    for (float& s : out) {
        s += float(gain * source[at]);
        if (++at == source.size()) at = 0;
    }
}

}  // namespace

const char* noiseName(NoiseKind kind) {
    switch (kind) {
        case NoiseKind::White: return "white";
        case NoiseKind::Pink: return "pink";
        case NoiseKind::Brown: return "brown";
        case NoiseKind::Hum: return "hum";
        case NoiseKind::Babble: return "babble";
        case NoiseKind::File: return "file";
    }
    return "?";
}

std::vector<float> makeNoise(NoiseKind kind, int64_t length, int sampleRate, Rng& rng, const NoisePools& pools) {
    std::vector<float> x(size_t(std::max<int64_t>(length, 0)), 0.f);
    switch (kind) {
        case NoiseKind::White:
            for (float& s : x) s = float(rng.normal());
            break;
        case NoiseKind::Pink: {
            // Paul Kellet's filter: white noise through a sum of one-pole low-passes, -3 dB/octave.
            double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
            for (float& s : x) {
                const double w = rng.normal();
                b0 = 0.99886 * b0 + w * 0.0555179;
                b1 = 0.99332 * b1 + w * 0.0750759;
                b2 = 0.96900 * b2 + w * 0.1538520;
                b3 = 0.86650 * b3 + w * 0.3104856;
                b4 = 0.55000 * b4 + w * 0.5329522;
                b5 = -0.7616 * b5 - w * 0.0168980;
                s = float(b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362);
                b6 = w * 0.115926;
            }
            break;
        }
        case NoiseKind::Brown: {
            // Integrated white noise (-6 dB/octave), with a slight leak so it does not wander off.
            double y = 0;
            for (float& s : x) {
                y = 0.998 * y + rng.normal();
                s = float(y);
            }
            break;
        }
        case NoiseKind::Hum: {
            // Mains hum: 50 or 60 Hz and harmonics of falling, random strength, plus a little hiss.
            const double f0 = (rng.chance(0.5) ? 50.0 : 60.0) * rng.uniform(0.995, 1.005);
            const double tilt = rng.uniform(0.5, 2.0);
            std::vector<double> amplitude(8), phase(8);
            for (size_t k = 0; k < 8; ++k) {
                amplitude[k] = std::pow(double(k + 1), -tilt) * rng.uniform(0.3, 1.0);
                phase[k] = rng.uniform(0, 2 * M_PI);
            }
            for (size_t n = 0; n < x.size(); ++n) {
                double v = 0.02 * rng.normal();
                for (size_t k = 0; k < 8; ++k)
                    v += amplitude[k] * std::sin(2 * M_PI * f0 * double(k + 1) * double(n) / sampleRate + phase[k]);
                x[n] = float(v);
            }
            break;
        }
        case NoiseKind::Babble: {
            if (pools.babble.empty()) throw Error("babble noise needs babble sentences (none loaded)");
            const int talkers = 3 + int(rng.below(5));
            for (int t = 0; t < talkers; ++t)
                addStretch(x, pools.babble[rng.below(pools.babble.size())], std::pow(10.0, rng.uniform(-3, 3) / 20), rng);
            break;
        }
        case NoiseKind::File: {
            if (pools.files.empty()) throw Error("file noise needs noise files (none loaded)");
            addStretch(x, pools.files[rng.below(pools.files.size())], 1.0, rng);
            break;
        }
    }
    toUnitRms(x);
    return x;
}

void addNoiseAtSnr(std::vector<float>& clip, int64_t begin, int64_t end, const std::vector<float>& noise, double snrDb) {
    if (noise.size() != clip.size()) throw Error("noise and clip lengths differ");
    begin = std::clamp<int64_t>(begin, 0, int64_t(clip.size()));
    end = std::clamp<int64_t>(end, begin, int64_t(clip.size()));
    if (end == begin) {
        begin = 0;
        end = int64_t(clip.size());
    }
    double signal = 0, noisePower = 0;
    for (int64_t i = begin; i < end; ++i) signal += double(clip[size_t(i)]) * clip[size_t(i)];
    signal /= double(end - begin);
    for (float s : noise) noisePower += double(s) * s;
    noisePower /= double(std::max<size_t>(noise.size(), 1));
    if (signal <= 0 || noisePower <= 0) return;
    const double scale = std::sqrt(signal / (noisePower * std::pow(10.0, snrDb / 10)));
    for (size_t i = 0; i < clip.size(); ++i) clip[i] = float(clip[i] + scale * noise[i]);
}

}  // namespace s4scope::train
