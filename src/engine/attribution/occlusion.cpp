#include "attribution/other_methods.h"

#include "model/runtime.h"

namespace s4scope {

torch::Tensor occlusion(const AttributionContext& ctx) {
    const int64_t T = ctx.x.size(-1);
    const int64_t requestedWindow = static_cast<int64_t>(ctx.param("window"));
    const int64_t stride = static_cast<int64_t>(ctx.param("stride"));
    if (stride > requestedWindow)
        throw Error("occlusion: stride " + std::to_string(stride) + " is larger than the window (" +
                    std::to_string(requestedWindow) + " samples), so the samples between windows would get no "
                    "relevance; choose a stride of at most the window");
    const int64_t window = std::min(requestedWindow, T);
    const double baseline = ctx.param("baseline");
    std::vector<int64_t> starts;
    for (int64_t s = 0; s + window <= T; s += stride) starts.push_back(s);
    if (starts.back() + window < T) starts.push_back(T - window);  // cover the tail too

    torch::NoGradGuard noGrad;
    const double reference = ctx.logits[0][ctx.target].item<double>();
    auto sum = torch::zeros({T}, ctx.x.options());
    auto count = torch::zeros({T}, ctx.x.options());
    const int64_t n = static_cast<int64_t>(starts.size());
    for (int64_t first = 0; first < n; first += ctx.batchSize) {
        ctx.step(double(first) / double(n));
        const int64_t m = std::min(ctx.batchSize, n - first);
        auto batch = ctx.x.detach().repeat({m, 1, 1});
        for (int64_t i = 0; i < m; ++i) batch[i][0].narrow(0, starts[first + i], window).fill_(baseline);
        auto logits = torch::empty({m}, ctx.x.options());
        parallelSlices(m, [&](int64_t begin, int64_t end) {
            logits.narrow(0, begin, end - begin).copy_(ctx.net.forward(batch.narrow(0, begin, end - begin)).select(1, ctx.target));
        });
        const auto drop = reference - logits;
        for (int64_t i = 0; i < m; ++i) {
            sum.narrow(0, starts[first + i], window).add_(drop[i]);
            count.narrow(0, starts[first + i], window).add_(1.0);
        }
    }
    ctx.step(1.0);
    return sum / count;
}

}  // namespace s4scope
