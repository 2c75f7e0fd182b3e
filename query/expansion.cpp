#include "query/expansion.hpp"

#include <algorithm>

#include "indexer/format/analysis.hpp"

namespace trawl::query {

std::vector<std::pair<std::string, double>> relevance_model(const std::vector<FeedbackDoc>& docs, std::uint32_t terms) {
    std::map<std::string, double> weight;
    for (const auto& d : docs) {
        double length = 0;
        for (const auto& [t, n] : d.tf) length += n;
        if (length <= 0) continue;
        for (const auto& [t, n] : d.tf) weight[t] += d.score * n / length;
    }
    std::vector<std::pair<std::string, double>> model(weight.begin(), weight.end());
    std::sort(model.begin(), model.end(), [](const auto& x, const auto& y) {
        return x.second > y.second || (x.second == y.second && x.first < y.first);
    });
    if (model.size() > terms) model.resize(terms);
    double sum = 0;
    for (const auto& [t, w] : model) sum += w;
    if (sum <= 0) return {};
    for (auto& [t, w] : model) w /= sum;
    return model;
}

bool feedback_term_ok(const std::string& stem) {
    if (stem.size() < 2 || stem.size() > 20) return false;
    bool letter = false;
    for (const char c : stem) {
        if (c >= 'a' && c <= 'z') letter = true;
        else if (c < '0' || c > '9') return false;
    }
    return letter && !format::is_stop_word(stem);
}

}  // namespace trawl::query
