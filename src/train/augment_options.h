#pragma once
// How training batches are augmented (augmentation.h). Every effect has its own probability: 0
// switches it off (s4scope-train --no-EFFECT does that from the command line). The ranges are
// drawn uniformly unless a comment says otherwise.

namespace s4scope::train {

struct AugmentOptions {
    // Throat: vocal-tract-length perturbation (formants x factor, pitch kept), pitch (semitones,
    // tempo and formants kept) and tempo (WSOLA, pitch kept), each on its own.
    double vtlpProbability = 0.6;
    double minVtlp = 0.85, maxVtlp = 1.15;
    double pitchProbability = 0.5;
    double maxPitchSemitones = 4;
    double tempoProbability = 0.5;
    double minTempo = 0.8, maxTempo = 1.25;   // > 1 is faster

    // Room: reverberation with a synthetic impulse response (room_impulse.h).
    double reverbProbability = 0.4;
    double minRt60 = 0.1, maxRt60 = 0.8;      // seconds
    double minDirectToReverbDb = -3, maxDirectToReverbDb = 12;

    // Microphone and channel: a random band-pass (high-pass 50..400 Hz, low-pass 2.5..8 kHz, both
    // log-uniform) and 1..3 peaking EQ bands of +-10 dB (channel_colour.h).
    double colourProbability = 0.6;

    // Background: white, pink, brown, mains hum (50 or 60 Hz with harmonics) or babble (3..7
    // overlaid sentences of training voices, or the data set's noise files), at an SNR against
    // the word's power (noise_sources.h).
    double noiseProbability = 0.8;
    double minSnrDb = 0, maxSnrDb = 30;

    // Level: the clip's gain, then with clipProbability a hard clip at 0.1..0.7 of the new peak.
    double minGainDb = -18, maxGainDb = 6;
    double clipProbability = 0.1;
};

}  // namespace s4scope::train
