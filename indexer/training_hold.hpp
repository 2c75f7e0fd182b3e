// The first articles of a new index, held until their passages make a sample
// big enough (BuilderOptions::dictionary_sample_bytes) to train the zstd
// dictionary and choose the positional words: nothing is written before both
// are settled. IndexBuilder holds its own articles this way; IndexPipeline
// holds them for all its shards at once, so that every shard gets the same.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace trawl::index {

template <class Item>
class TrainingHold {
public:
    explicit TrainingHold(std::size_t sample_bytes) : sample_bytes_(sample_bytes) {}

    // Holds `item` (`item_bytes` of text), whose passages' stored-field
    // records are `samples` (none for an item that will be skipped). True once
    // the sample is complete, or once the items held weigh kMaxHeldSamples
    // samples' worth: items that give no sample (ids too long to index) must
    // not pile up in memory; the dictionary is then trained on what there is.
    bool hold(Item item, std::vector<std::string> samples, std::size_t item_bytes = 0) {
        if (!samples.empty()) ++with_samples_;
        for (auto& s : samples) {
            bytes_ += s.size();
            samples_.push_back(std::move(s));
        }
        items_.push_back(std::move(item));
        held_bytes_ += item_bytes;
        return bytes_ >= sample_bytes_ || held_bytes_ >= kMaxHeldSamples * sample_bytes_;
    }
    static constexpr std::size_t kMaxHeldSamples = 4;
    bool empty() const { return items_.empty(); }
    // Items held that have passages (for progress).
    std::size_t articles() const { return with_samples_; }
    // The sample so far, in the order the items came.
    const std::vector<std::string>& samples() const { return samples_; }
    // The held items in order; the hold is empty afterwards.
    std::vector<Item> release() {
        std::vector<Item> out = std::move(items_);
        *this = TrainingHold(sample_bytes_);
        return out;
    }

private:
    std::size_t sample_bytes_;
    std::size_t bytes_ = 0;
    std::size_t held_bytes_ = 0;
    std::size_t with_samples_ = 0;
    std::vector<Item> items_;
    std::vector<std::string> samples_;
};

}  // namespace trawl::index
