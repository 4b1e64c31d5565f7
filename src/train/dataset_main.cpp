// s4scope-dataset: synthesises the keyword data set the bundled model is trained on.
#include <iostream>

#include "arg_list.h"
#include "dataset_builder.h"

using namespace s4scope;
using namespace s4scope::train;

namespace {

const char* const kUsage = R"(usage: s4scope-dataset [options]
Synthesises the ten keywords with espeak-ng (English accents x voice variants) and flite voices at
several rates and pitches, as 16 kHz one-second clips, split into train/validation/test by voice.

  --out DIR                 output folder (default keyword-data)
  --seed N                  seed for the split, the rate/pitch choices, levels and offsets (default 1)
  --accents A,B|none        espeak-ng accents, e.g. en-US,en-GB-x-rp (default: every gmw/ English one)
  --variants V,W            espeak-ng !v variants; "default" is the accent's own voice (default: all)
  --flite-voices V,W|none   flite voices (default: kal,kal16,awb,rms,slt)
  --espeak-rates R,...      words per minute (default 120,145,170,195,220)
  --espeak-pitches P,...    0..99, 50 = the voice's own (default 20,35,50,65,80)
  --espeak-renditions N     (rate, pitch) pairs per espeak voice and word (default 2)
  --flite-stretches S,...   duration stretch (default 0.8,0.87,0.93,1,1.08,1.17,1.3)
  --flite-pitches F,...     factor on the voice's mean f0 (default 0.8,0.87,0.93,1,1.08,1.16,1.25)
  --flite-renditions N      (stretch, pitch) pairs per flite voice and word (default 49)
  --validation-fraction F   of the espeak-ng variants; flite's four speakers all train (default 0.1)
  --test-fraction F         (default 0.1)
  --splits S,...            which splits to write (default train,validation,test)
  --limit N                 only N clips, a seeded selection balanced over words
  --list-voices             print the voices and their split, and stop
)";

}  // namespace

int main(int argc, char** argv) {
    try {
        ArgList args(argc, argv, {"help", "list-voices"});
        if (args.flag("help")) {
            std::cout << kUsage;
            return 0;
        }
        DatasetOptions o;
        o.outDir = args.text("out", o.outDir);
        o.seed = args.number<uint64_t>("seed", o.seed);
        o.accents = args.list("accents", o.accents);
        o.variants = args.list("variants", o.variants);
        o.fliteVoices = args.list("flite-voices", o.fliteVoices);
        o.espeakRates = args.numbers("espeak-rates", o.espeakRates);
        o.espeakPitches = args.numbers("espeak-pitches", o.espeakPitches);
        o.espeakRenditions = args.number<int>("espeak-renditions", o.espeakRenditions);
        o.fliteStretches = args.numbers("flite-stretches", o.fliteStretches);
        o.flitePitches = args.numbers("flite-pitches", o.flitePitches);
        o.fliteRenditions = args.number<int>("flite-renditions", o.fliteRenditions);
        o.validationFraction = args.number<double>("validation-fraction", o.validationFraction);
        o.testFraction = args.number<double>("test-fraction", o.testFraction);
        o.splits = args.list("splits", o.splits);
        o.limit = args.number<int64_t>("limit", o.limit);
        const bool listOnly = args.flag("list-voices");
        args.rejectUnknown();

        if (listOnly) {
            listVoices(o, std::cout);
            return 0;
        }
        buildDataset(o, &std::cout);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "s4scope-dataset: " << e.what() << std::endl;
        return 1;
    }
}
