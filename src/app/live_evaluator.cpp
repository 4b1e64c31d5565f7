#include "app/live_evaluator.h"

#include <chrono>

namespace s4scope::app {

std::vector<std::string> singlePassMethods() {
    std::vector<std::string> ids;
    for (const MethodInfo& m : attributionMethods())
        if (m.singlePass) ids.push_back(m.id);
    return ids;
}

LiveEvaluator::LiveEvaluator(QObject* parent) : QObject(parent) { qRegisterMetaType<s4scope::app::LiveResult>(); }

LiveEvaluator::~LiveEvaluator() = default;

void LiveEvaluator::submit(LiveFrame frame) {
    ++submitted_;
    if (!busy_) {
        dispatch(std::move(frame));
    } else {
        if (pending_) ++dropped_;  // the older waiting window is stale now
        pending_ = std::move(frame);
    }
    maxBacklog_ = std::max(maxBacklog_, int(busy_) + waiting());
}

void LiveEvaluator::dispatch(LiveFrame frame) {
    if (!model_) return;
    busy_ = true;
    auto model = model_;
    auto input = std::make_shared<LiveFrame>(std::move(frame));
    worker_.post([this, model, input]() -> WorkerThread::Continuation {
        auto result = std::make_shared<LiveResult>();
        result->clock = input->clock;
        result->run = input->run;
        result->speech = input->speech;
        const auto start = std::chrono::steady_clock::now();
        try {
            ExplainRequest request;
            request.method = input->method;
            const Explanation e = explain(*model, input->samples, request);
            result->prediction = predictionFromLogits(e.logits, model->config().labels);
            result->relevance = e.relevance;
            if (input->timeFrequency) {
                const auto tfStart = std::chrono::steady_clock::now();
                result->tf = signal::timeFrequencyRelevance(input->samples, e.relevance, model->config().sample_rate);
                result->tfScale = signal::robustScale(result->tf);
                result->tfMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - tfStart).count();
            }
        } catch (const std::exception& error) {
            result->error = QString::fromUtf8(error.what());
            try {
                result->prediction = model->classify(input->samples);
            } catch (...) {
            }
        }
        // The method's time (classify + explain); the R[f,t] step is reported on its own.
        result->computeMs =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() - result->tfMs;
        result->spectrogram = clipSpectrogram(input->samples, model->config().sample_rate);
        result->samples = std::move(input->samples);
        return [this, result] { onDone(result); };
    });
}

void LiveEvaluator::onDone(std::shared_ptr<LiveResult> result) {
    busy_ = false;
    if (pending_) {
        LiveFrame next = std::move(*pending_);
        pending_.reset();
        dispatch(std::move(next));
    }
    emit evaluated(*result);
}

}  // namespace s4scope::app
