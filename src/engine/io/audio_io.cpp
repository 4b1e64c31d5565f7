// Audio files in and out through libsndfile, resampling through libsoxr (DESIGN.md §1: no Qt here).
#include "s4scope/audio_io.h"

#include "io/input_limits.h"
#include "s4scope/error.h"

#include <sndfile.h>
#include <soxr.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <new>
#include <system_error>

namespace s4scope {
namespace {

// Anything outside these bounds is a corrupt header or a caller mistake, not audio we should try to
// allocate for. libsndfile itself allows up to 1024 channels.
constexpr int kMinRate = 1000;
constexpr int kMaxRate = 1000000;
constexpr int kMaxChannels = 1024;
// Largest output we pad to: 2^28 floats = 1 GiB, hours of audio at any sensible rate.
constexpr int64_t kMaxLength = int64_t(1) << 28;
constexpr sf_count_t kChunkFrames = 65536;

[[noreturn]] void failLoad(const std::string& path, const std::string& reason) {
    throw Error("cannot load audio '" + path + "': " + reason);
}

[[noreturn]] void failWrite(const std::string& path, const std::string& reason) {
    throw Error("cannot write WAV '" + path + "': " + reason);
}

// "1.5" rather than std::to_string's "1.500000".
std::string num(double value) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", value);
    return buf;
}

bool rateOk(int rate) { return rate >= kMinRate && rate <= kMaxRate; }

std::string rateRange() {
    return "supported range is " + std::to_string(kMinRate) + ".." + std::to_string(kMaxRate) + " Hz";
}

// Closes the handle on every path out, including exceptions.
struct SndFile {
    SNDFILE* handle = nullptr;
    ~SndFile() {
        if (handle) sf_close(handle);
    }
};

// sf_open's message for a missing file is generic; say exactly what is wrong where we can.
std::string openFailureReason(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (!fs::exists(status)) return "file does not exist";
    if (fs::is_directory(status)) return "is a directory, not an audio file";
    std::FILE* probe = std::fopen(path.c_str(), "rb");
    if (!probe) return "file is not readable (permission denied?)";
    std::fclose(probe);
    if (fs::file_size(path, ec) == 0 && !ec) return "file is empty (0 bytes), no audio";
    // What remains is libsndfile rejecting the content, e.g. a text file renamed .wav.
    return std::string("not a supported audio file (libsndfile: ") + sf_strerror(nullptr) + ")";
}

// libsndfile reads a truncated WAV (or AIFF, ...) without an error: it shortens the data chunk to
// what the file holds and notes "data : ANNOUNCED (should be PRESENT)" in its log. That note is the
// only trace, so it is turned into a warning for the user.
std::string truncationWarning(SNDFILE* handle, int64_t framesPresent, int rate) {
    char log[8192] = {};
    sf_command(handle, SFC_GET_LOG_INFO, log, sizeof log);
    const std::string text(log);
    for (size_t at = text.find("data"); at != std::string::npos; at = text.find("data", at + 4)) {
        if (at > 0 && text[at - 1] != '\n') continue;
        const size_t end = text.find('\n', at);
        const std::string line = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
        long long announced = 0, present = 0;
        if (std::sscanf(line.c_str(), "data : %lld (should be %lld)", &announced, &present) != 2) continue;
        if (announced <= present || present <= 0) continue;
        const double presentSeconds = double(framesPresent) / rate;
        const double announcedSeconds = presentSeconds * double(announced) / double(present);
        return "the file is truncated: its header announces " + num(announcedSeconds) + " s of audio but it holds " +
               num(presentSeconds) + " s (" + std::to_string(present) + " of " + std::to_string(announced) +
               " data bytes); only what is there is loaded";
    }
    return {};
}

size_t resampledLength(size_t inputLength, int fromRate, int toRate) {
    return fromRate == toRate ? inputLength : static_cast<size_t>(std::llround(double(inputLength) * toRate / fromRate));
}

soxr_io_spec_t floatIo() { return soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I); }
// soxr_oneshot defaults to low quality; ask for HQ explicitly (streamed and one-shot alike).
soxr_quality_spec_t highQuality() { return soxr_quality_spec(SOXR_HQ, 0); }

// libsoxr fed chunk by chunk: the same filter as resample() over the whole signal, without holding
// it. Same rates: a copy.
class StreamResampler {
public:
    StreamResampler(int fromRate, int toRate) : ratio_(double(toRate) / fromRate) {
        if (fromRate == toRate) return;
        const soxr_io_spec_t io = floatIo();
        const soxr_quality_spec_t quality = highQuality();
        soxr_error_t error = nullptr;
        soxr_ = soxr_create(fromRate, toRate, 1, &error, &io, &quality, nullptr);
        if (error || !soxr_)
            throw Error("resample " + std::to_string(fromRate) + " -> " + std::to_string(toRate) + " Hz failed (libsoxr: " +
                        (error ? error : "no resampler") + ")");
    }
    ~StreamResampler() {
        if (soxr_) soxr_delete(soxr_);
    }
    StreamResampler(const StreamResampler&) = delete;
    StreamResampler& operator=(const StreamResampler&) = delete;

    void push(const float* input, size_t length, std::vector<float>& out) {
        if (!soxr_) {
            out.insert(out.end(), input, input + length);
            return;
        }
        // Room for what this chunk yields, plus what the filter held back from earlier ones.
        buffer_.resize(size_t(std::ceil(double(length) * ratio_)) + 1024);
        while (length > 0) {
            size_t used = 0, made = 0;
            check(soxr_process(soxr_, input, length, &used, buffer_.data(), buffer_.size(), &made));
            out.insert(out.end(), buffer_.begin(), buffer_.begin() + std::ptrdiff_t(made));
            input += used;
            length -= used;
            if (used == 0 && made == 0) break;  // cannot happen with room to spare; never spin
        }
    }
    // The filter's tail (input: none, end of stream).
    void finish(std::vector<float>& out) {
        if (!soxr_) return;
        buffer_.resize(4096);
        for (;;) {
            size_t used = 0, made = 0;
            check(soxr_process(soxr_, nullptr, 0, &used, buffer_.data(), buffer_.size(), &made));
            if (made == 0) break;
            out.insert(out.end(), buffer_.begin(), buffer_.begin() + std::ptrdiff_t(made));
        }
    }

private:
    static void check(soxr_error_t error) {
        if (error) throw Error(std::string("resampling failed (libsoxr: ") + error + ")");
    }
    soxr_t soxr_ = nullptr;
    double ratio_;
    std::vector<float> buffer_;
};

}  // namespace

Audio loadAudio(const std::string& path, const AudioLoadOptions& options) {
    if (!rateOk(options.sampleRate))
        failLoad(path, "requested sample rate " + std::to_string(options.sampleRate) + " Hz is invalid; " +
                           rateRange());
    if (!std::isfinite(options.startSeconds) || options.startSeconds < 0.0)
        failLoad(path, "start offset " + num(options.startSeconds) +
                           " s is invalid: it must be a finite number >= 0");
    if (options.length > kMaxLength)
        failLoad(path, "requested length " + std::to_string(options.length) + " samples is too large (max " +
                           std::to_string(kMaxLength) + ")");

    // Before libsndfile opens it: a FIFO with no writer would block open() forever, a device such
    // as /dev/urandom would stream forever.
    // (Missing files and folders fail in sf_open, whose failure is explained below.)
    {
        std::error_code ec;
        const auto status = std::filesystem::status(path, ec);
        if (std::filesystem::exists(status) && !std::filesystem::is_directory(status) &&
            !std::filesystem::is_regular_file(status))
            failLoad(path, detail::notRegularFileReason(path));
    }

    SF_INFO info{};
    SndFile file;
    file.handle = sf_open(path.c_str(), SFM_READ, &info);
    if (!file.handle) failLoad(path, openFailureReason(path));

    if (info.channels < 1 || info.channels > kMaxChannels)
        failLoad(path, "header claims " + std::to_string(info.channels) + " channels (expected 1.." +
                           std::to_string(kMaxChannels) + ")");
    if (!rateOk(info.samplerate))
        failLoad(path, "header claims a sample rate of " + std::to_string(info.samplerate) + " Hz; " + rateRange());
    if (info.frames == 0) failLoad(path, "file is empty: it contains no audio (0 frames)");

    // Pipes and some MP3 streams do not know their length; then only reading tells.
    const bool lengthKnown = info.frames > 0 && info.frames != SF_COUNT_MAX;
    const int channels = info.channels;
    const int srcRate = info.samplerate;
    const double duration = lengthKnown ? double(info.frames) / srcRate : 0.0;

    // Huge offsets would overflow llround; nothing can lie that far in anyway.
    const double startPosition = options.startSeconds * srcRate;
    const sf_count_t startFrame =
        startPosition < 9e18 ? static_cast<sf_count_t>(std::llround(startPosition)) : SF_COUNT_MAX;
    if ((lengthKnown && startFrame >= info.frames) || startFrame == SF_COUNT_MAX)
        failLoad(path, "start offset " + num(options.startSeconds) +
                           " s is at or beyond the end of the audio" +
                           (lengthKnown ? " (duration " + num(duration) + " s)" : std::string()));

    // At most 2^20 samples (4 MiB) per chunk, whatever channel count a header claims.
    const sf_count_t chunkFrames = std::max<sf_count_t>(1, std::min<sf_count_t>(kChunkFrames, (sf_count_t(1) << 20) / channels));
    std::vector<float> chunk;
    std::vector<float> mono;  // one chunk, mixed down
    try {
        chunk.resize(size_t(chunkFrames) * channels);
        mono.reserve(size_t(chunkFrames));

        // Seek where we can; otherwise read and discard up to the start.
        // (Every sf_readf_float call resets the handle's error, so a failed seek leaves no trace.)
        if (startFrame > 0 && sf_seek(file.handle, startFrame, SEEK_SET) < 0) {
            sf_count_t toSkip = startFrame;
            while (toSkip > 0) {
                const sf_count_t got = sf_readf_float(file.handle, chunk.data(), std::min(toSkip, chunkFrames));
                if (got <= 0) break;
                toSkip -= got;
            }
            if (toSkip > 0)
                failLoad(path, "start offset " + num(options.startSeconds) +
                                   " s is at or beyond the end of the audio");
        }

        // Read only what the output needs, plus a margin so the resampler's filter sees what
        // follows the cut instead of silence (SOXR_HQ's filter is a few ms long; 0.1 s is ample).
        sf_count_t wanted = std::numeric_limits<sf_count_t>::max();
        if (options.length > 0)
            wanted = static_cast<sf_count_t>(std::ceil(double(options.length) * srcRate / options.sampleRate)) +
                     srcRate / 10 + 16;
        if (lengthKnown) wanted = std::min(wanted, info.frames - startFrame);

        // Decoded chunk by chunk straight into the output rate (DESIGN.md §9): an hour at 44.1 kHz
        // never exists as a whole at the file's rate, only its resampled mono copy does (230 MB
        // at 16 kHz instead of 635 + 230 MB).
        StreamResampler resampler(srcRate, options.sampleRate);
        std::vector<float> out;
        if (lengthKnown) {
            // Reserved up front, so the vector never doubles (and copies) an hour of audio; but a
            // corrupt header may claim any length: no more than the file's bytes could decode to.
            const double expected = std::ceil(double(wanted) * options.sampleRate / srcRate) + 64;
            std::error_code ec;
            const auto bytes = std::filesystem::file_size(path, ec);
            const double plausible = ec ? 0.0 : 64.0 * double(bytes) + double(options.sampleRate) * 60;
            out.reserve(size_t(std::min({expected, plausible, double(kMaxLength)})));
        }

        sf_count_t framesRead = 0;
        while (framesRead < wanted) {
            const sf_count_t got =
                sf_readf_float(file.handle, chunk.data(), std::min(wanted - framesRead, chunkFrames));
            if (got <= 0) break;
            mono.clear();
            for (sf_count_t f = 0; f < got; ++f) {
                const float* frame = chunk.data() + f * channels;
                // Sum in double: large finite floats must not overflow into a false "infinite".
                double sum = 0.0;
                for (int c = 0; c < channels; ++c) {
                    if (!std::isfinite(frame[c]))
                        failLoad(path, std::string("contains a non-finite sample (") +
                                           (std::isnan(frame[c]) ? "NaN" : "infinity") + ") at frame " +
                                           std::to_string(startFrame + framesRead + f) + ", channel " +
                                           std::to_string(c));
                    sum += frame[c];
                }
                mono.push_back(static_cast<float>(channels == 1 ? frame[0] : sum / channels));
            }
            try {
                resampler.push(mono.data(), mono.size(), out);
            } catch (const Error& e) {
                failLoad(path, e.what());
            }
            framesRead += got;
        }
        // A short read with an error set is a decode failure, not the end of the file.
        if (sf_error(file.handle) != SF_ERR_NO_ERROR && framesRead < wanted)
            failLoad(path, std::string("decoding failed: ") + sf_strerror(file.handle));
        if (framesRead == 0) {
            if (startFrame > 0)
                failLoad(path, "start offset " + num(options.startSeconds) +
                                   " s is at or beyond the end of the audio");
            failLoad(path, "file is empty: it contains no audio (0 frames decoded)");
        }
        try {
            resampler.finish(out);
        } catch (const Error& e) {
            failLoad(path, e.what());
        }
        // As many samples as resample() gives for the whole input (the tail zero if soxr gave fewer).
        out.resize(resampledLength(size_t(framesRead), srcRate, options.sampleRate), 0.0f);

        Audio audio;
        audio.sourceSampleRate = srcRate;
        audio.sourceChannels = channels;
        // When the header does not know the length, the best we know is how far we read.
        audio.sourceFrames = lengthKnown ? info.frames : startFrame + framesRead;
        audio.sampleRate = options.sampleRate;
        if (lengthKnown) audio.warning = truncationWarning(file.handle, info.frames, srcRate);
        audio.samples = std::move(out);
        if (options.length > 0) audio.samples.resize(size_t(options.length), 0.0f);
        return audio;
    } catch (const std::bad_alloc&) {
        failLoad(path, "out of memory");
    }
}

std::vector<float> resample(const std::vector<float>& samples, int fromRate, int toRate) {
    if (!rateOk(fromRate) || !rateOk(toRate))
        throw Error("resample: invalid sample rates " + std::to_string(fromRate) + " -> " + std::to_string(toRate) +
                    " Hz; " + rateRange());
    if (fromRate == toRate || samples.empty()) return samples;

    const size_t outLength = static_cast<size_t>(std::llround(double(samples.size()) * toRate / fromRate));
    std::vector<float> out(outLength, 0.0f);
    if (outLength == 0) return out;
    const soxr_io_spec_t io = floatIo();
    const soxr_quality_spec_t quality = highQuality();
    size_t produced = 0;
    const soxr_error_t err = soxr_oneshot(fromRate, toRate, 1, samples.data(), samples.size(), nullptr,
                                          out.data(), out.size(), &produced, &io, &quality, nullptr);
    if (err)
        throw Error("resample " + std::to_string(fromRate) + " -> " + std::to_string(toRate) +
                    " Hz failed (libsoxr: " + err + ")");
    // soxr may deliver a sample less than the rounded length; the tail stays zero.
    return out;
}

void writeWav(const std::string& path, const std::vector<float>& samples, int sampleRate) {
    if (sampleRate <= 0)
        failWrite(path, "sample rate " + std::to_string(sampleRate) + " Hz is not positive");
    for (size_t i = 0; i < samples.size(); ++i)
        if (!std::isfinite(samples[i]))
            failWrite(path, std::string("sample ") + std::to_string(i) + " is non-finite (" +
                                (std::isnan(samples[i]) ? "NaN" : "infinity") + ")");

    SF_INFO info{};
    info.samplerate = sampleRate;
    info.channels = 1;
    info.format = SF_FORMAT_WAV | SF_FORMAT_FLOAT;  // float32: no quantisation, exact round trip
    if (!sf_format_check(&info)) failWrite(path, "libsndfile rejects mono float WAV at this sample rate");

    SNDFILE* handle = sf_open(path.c_str(), SFM_WRITE, &info);
    if (!handle) failWrite(path, sf_strerror(nullptr));
    const sf_count_t n = static_cast<sf_count_t>(samples.size());
    const sf_count_t written = n > 0 ? sf_writef_float(handle, samples.data(), n) : 0;
    const std::string writeError = written != n ? sf_strerror(handle) : std::string();
    // sf_close finalises the header; its failure leaves a broken file too.
    const int closeError = sf_close(handle);
    if (written != n || closeError != 0) {
        std::remove(path.c_str());  // do not leave a truncated file behind
        failWrite(path, written != n ? "wrote " + std::to_string(written) + " of " + std::to_string(n) +
                                           " samples (" + writeError + ")"
                                     : std::string("finalising the file failed (") + sf_error_number(closeError) +
                                           ")");
    }
}

}  // namespace s4scope
