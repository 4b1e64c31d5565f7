// s4scope-dataset: synthesises the keyword data set the bundled model is trained on.
#include <iostream>

#include "arg_list.h"
#include "dataset_builder.h"

using namespace s4scope;
using namespace s4scope::train;

namespace {

const char* const kUsage = R"(usage: s4scope-dataset [options]
Synthesises the ten keywords with espeak-ng and classic espeak (English accents x voice variants),
flite's voices and Festival's non-English voices at several rates and pitches, as 16 kHz one-second
clips, split into train/validation/test by speaker. Festival's English voices are reserved for
independent evaluation and refused.

  --out DIR                 output folder (default keyword-data)
  --seed N                  seed for the split, the rate/pitch choices, levels and offsets (default 1)
  --accents A,B|none        espeak-ng accents, e.g. en-US,en-GB-x-rp (default: every gmw/ English one)
  --variants V,W            espeak-ng !v variants; "default" is the accent's own voice (default: all)
  --classic-accents A|none  classic espeak English voices, e.g. en-sc (default: every non-mbrola one)
  --classic-variants V,W    classic espeak !v variants (default: all)
  --flite-voices V,W|none   flite voices (default: kal,kal16,awb,rms,slt)
  --festival-voices V|none  Festival's non-English voices, e.g. czech_ph (default: all 13)
  --espeak-rates R,...      words per minute (default 120,145,170,195,220)
  --espeak-pitches P,...    0..99, 50 = the voice's own (default 20,35,50,65,80)
  --espeak-renditions N     (rate, pitch) pairs per espeak-ng voice and word (default 1)
  --classic-renditions N    (rate, pitch) pairs per classic espeak voice and word (default 2)
  --flite-stretches S,...   duration stretch (default 0.8,0.87,0.93,1,1.08,1.17,1.3)
  --flite-pitches F,...     factor on the voice's mean f0 (default 0.8,0.87,0.93,1,1.08,1.16,1.25)
  --flite-renditions N      (stretch, pitch) pairs per flite voice and word (default 49)
  --festival-stretches S,.. Festival duration stretch (default 0.8,0.9,1,1.1,1.2,1.35)
  --festival-pitches P,...  semitones, formants kept (default -4,-2,0,2,4)
  --festival-renditions N   (stretch, pitch) pairs per Festival voice and word (default 30)
  --validation-fraction F   of the espeak variants (both engines) held out for validation (default 0.1)
  --test-fraction F         (default 0.1)
  --flite-validation N, --flite-test N         flite speakers held out (default 0, 1)
  --festival-validation N, --festival-test N   Festival voices held out (default 2, 3)
  --babble-sentences N      babble sentences by training voices, for the trainer's noise (default 120)
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
        o.classicAccents = args.list("classic-accents", o.classicAccents);
        o.classicVariants = args.list("classic-variants", o.classicVariants);
        o.fliteVoices = args.list("flite-voices", o.fliteVoices);
        o.festivalVoices = args.list("festival-voices", o.festivalVoices);
        o.classicRenditions = args.number<int>("classic-renditions", o.classicRenditions);
        o.festivalStretches = args.numbers("festival-stretches", o.festivalStretches);
        o.festivalPitches = args.numbers("festival-pitches", o.festivalPitches);
        o.festivalRenditions = args.number<int>("festival-renditions", o.festivalRenditions);
        o.fliteValidation = args.number<int>("flite-validation", o.fliteValidation);
        o.fliteTest = args.number<int>("flite-test", o.fliteTest);
        o.festivalValidation = args.number<int>("festival-validation", o.festivalValidation);
        o.festivalTest = args.number<int>("festival-test", o.festivalTest);
        o.babbleSentences = args.number<int>("babble-sentences", o.babbleSentences);
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
