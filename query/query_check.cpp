// One left-to-right pass over the query: quotes, parentheses, operator
// operands, NEAR/ADJ distances, dangling field prefixes, control characters.
#include "query/query_check.hpp"

#include <optional>
#include <string>
#include <vector>

#include "corpus/base/ascii.hpp"
#include "corpus/base/error.hpp"
#include "indexer/format/analysis.hpp"
#include "indexer/format/words.hpp"

namespace trawl::query {
namespace {

// 1-based column in characters (UTF-8 code points) of byte offset `pos`.
std::size_t column(std::string_view q, std::size_t pos) {
    std::size_t col = 1;
    for (std::size_t i = 0; i < pos && i < q.size(); ++i)
        if ((static_cast<unsigned char>(q[i]) & 0xC0) != 0x80) ++col;
    return col;
}

[[noreturn]] void fail(std::string_view q, std::size_t pos, const std::string& what) {
    throw QuerySyntaxError(column(q, pos), what);
}

bool is_control(unsigned char c) { return (c < 0x20 && c != '\t') || c == 0x7F; }

// "title:" — a field name the query parser knows and a colon, nothing else.
// Other "word:" tokens are ordinary words to Xapian ("Moscow: talks").
bool is_bare_field_prefix(std::string_view tok) {
    if (!tok.empty() && (tok.front() == '+' || tok.front() == '-')) tok.remove_prefix(1);
    if (tok.size() < 2 || tok.back() != ':') return false;
    return format::is_query_field(tok.substr(0, tok.size() - 1));
}

// The word a plain or title: word is to Xapian's parser (lower case), or
// none: a signed word, a wildcard (unless `trailing_wildcard` and its '*'
// ends it: the word before it), or one the parser cuts into several and
// makes a phrase ("e-mail", "U.S.-Japan"), no word of a group.
std::optional<std::string> single_word(std::string_view tok, bool trailing_wildcard) {
    if (tok.starts_with("title:")) tok.remove_prefix(6);
    if (trailing_wildcard && tok.ends_with('*')) tok.remove_suffix(1);
    if (tok.empty() || tok.front() == '+' || tok.front() == '-' || tok.find('*') != std::string_view::npos)
        return std::nullopt;
    const auto words = format::cut_words(tok);
    if (words.list().size() != 1) return std::nullopt;
    return std::string(words.term(words.list().front()));
}

// The stop word a plain or title: word is (lower case), or "". Xapian 1.4
// leaves one out of the operands between two operators when they hold
// more ("the -gas" is "-gas", "oil AND the -gas" is refused), keeps it
// alone ("the AND -gas", "(the)") and keeps a run of stop words side by
// side ("the who -gas", "title:the who").
std::string stop_word_of(const std::optional<std::string>& word) {
    return word && format::is_stop_word(*word) ? *word : std::string();
}
std::string stop_word_of(std::string_view tok) { return stop_word_of(single_word(tok, false)); }

enum class Prev { Start, Operand, Operator };

// What an operand does: names something to find; is a stop word Xapian may
// leave out (stop_word_of()); leaves passages out (a -word, phrase or
// group); keeps only a source's (Source: source:NAME) or a date range's or
// a group of filters' (Filter).
enum class Role { Find, Dropped, Hated, Filter, Source };

// What an operand is, as far as NEAR/ADJ care: they take single words only.
enum class Kind { Word, LoveWord, Other };

bool word_like(Kind k) { return k != Kind::Other; }

// Parser state for one level of parentheses.
struct Level {
    std::size_t open_pos = 0;  // offset of the '(' that opened it
    Prev prev = Prev::Start;
    Kind last = Kind::Other;        // kind of the last operand
    bool last_title = false;        // the last operand is a title: word
    bool word_before_last = false;  // last operand directly follows a word (implicit operator)
    std::string_view op_name;       // last operator, when prev == Operator
    std::size_t op_pos = 0;
    std::string_view chain;            // "NEAR"/"ADJ" while the last operand ends such a chain
    std::size_t chain_pos = 0;         // offset of that chain's last operator
    bool wanted = false;               // the level names something to find
    std::optional<std::size_t> hated;  // offset of its first -word
    // The operands since the last operator: whether one is more than a
    // -word, the first -word, and that operator.
    bool run_positive = false;
    std::optional<std::size_t> run_hated;
    bool run_starts_hated = false;  // its first operand is a -word ("oil OR -coal gas")
    std::string_view run_after;
    // The operands since the last operator other than NEAR/ADJ (a chain is
    // one operand): how many, whether one is more than a -word, the first
    // -word, and that operator.
    std::size_t seg_operands = 0;
    bool seg_positive = false;
    std::optional<std::size_t> seg_hated;
    std::string_view seg_after;
    // Where the operator stands when Xapian leaves out all the operands up
    // to the next one: after NOT and AND NOT, and after an AND whose right
    // starts with a -word ("oil AND -gas coal" is oil AND NOT (gas OR coal)).
    std::optional<std::size_t> excluding;
    // The AND's -word is a stop word: Xapian leaves it out too, and refuses
    // a stop word after it without a column ("oil AND -the who").
    bool excluding_stop = false;
    // The operands since that operator Xapian keeps (not a stop word it
    // leaves out, stop_word_of()).
    std::size_t seg_kept = 0;
    // Of those, the source: names, which Xapian ORs: "oil NOT source:a
    // source:b" leaves out both sources' passages, as meant.
    std::size_t seg_sources = 0;
    // Its first stop word, which Xapian leaves out unless it stands alone
    // (stop_word_of()), and where.
    std::string seg_stop;
    std::size_t seg_stop_pos = 0;
    // A group's '+' or '-' sign ("-(gas coal)"), and its offset.
    char sign = 0;
    std::size_t sign_pos = 0;
    // The level holds an operand to find (Role::Find), not only filters,
    // -words and stop words.
    bool finds = false;
    // Its first +word (+phrase, +group), or one of an unsigned group it
    // holds, not after NOT: required within the brackets only, unless an
    // OR or XOR makes no operand of the level required (has_or).
    std::optional<std::size_t> loved;
    bool has_or = false;
    // The operands since the last operator that find (Role::Find), and the
    // loved of the first unsigned group among them that has one.
    std::size_t seg_finds = 0;
    std::optional<std::size_t> seg_loved;
};

// A sign written straight before a phrase, a group or a field's quoted value
// ("-\"oil price\"", "-(gas coal)", "-title:\"oil price\""): it is theirs.
// A field prefix sets one, signed or not (c 0); source:'s value is a filter.
struct Sign {
    char c = 0;
    std::size_t pos = 0;
    bool filter = false;
};

// OR, XOR and NOT take no operand of -words only: Xapian 1.4 refuses "oil OR
// -gas" without a column, and read "-oil OR gas" as nonsense.
bool refuses_hate_only(std::string_view op) { return op == "OR" || op == "XOR" || op == "NOT" || op == "AND NOT"; }

class Checker {
public:
    Checker(std::string_view q, bool match_all) : q_(q), match_all_(match_all) { levels_.emplace_back(); }

    void run();

private:
    Level& cur() { return levels_.back(); }
    void operand(Kind kind, Role role = Role::Find);
    void binary_operator(std::size_t pos, std::string_view name, std::string_view token);
    void word(std::size_t pos, std::string_view token);
    void date_range(std::size_t pos, std::string_view token);
    // The operand just read names something to find: the level's and the
    // run's (a group's passes to its level when it closes).
    void found() { cur().wanted = cur().run_positive = cur().seg_positive = true; }
    // The operand about to be read (at `pos`) is a -word, phrase or group.
    void hate(std::size_t pos);
    // The operand about to be read (at `pos`) is a +word, phrase or group.
    void love(std::size_t pos);
    // A new run of operands after the binary operator `name`, at `pos` (AND
    // NOT: its AND).
    void start_operands(std::string_view name, std::size_t pos);
    // The operands since the last operator end (at operator `next_op` at
    // `next_pos`, or at a group's or the query's end): a stop word alone
    // among them is kept.
    void end_operands(std::string_view next_op = {}, std::size_t next_pos = 0);
    // " ('the' is a stop word ...)" for `word`, "" for none.
    static std::string stop_note(const std::string& word);
    // Ends the operands since the last operator at `next_op` ("" at a
    // group's or the query's end): an OR, XOR or NOT on either side refuses
    // them when they are -words only.
    void end_run(std::string_view next_op);

    std::string_view q_;
    bool match_all_;  // the words are joined by AND (--all), not OR
    std::vector<Level> levels_;
    // The query has an operand (-words too); whether it names something to
    // find, not only passages to leave out, is its top level's Level::wanted.
    bool any_operand_ = false;
    std::optional<std::size_t> hated_;        // offset of the first -word
    std::optional<std::size_t> lone_sign_;    // offset of the first '+' or '-' standing alone
    std::optional<std::size_t> hated_group_;  // the first -word of the first group of -words only
    std::string stop_word_;                   // the first stop word left out of the query
    // What the words straight before the next token are: plain stop words
    // (a run of them is kept), or a plain word and any stop words after it,
    // Xapian's group of words, whose stop words it leaves out however many
    // ("oil the who" is oil; "oil -gas the who" keeps the run, which the
    // -word stands apart).
    enum class Before { Other, StopWords, WordGroup } before_ = Before::Other;
    std::size_t last_stop_pos_ = 0;  // where the last plain stop word stood
    // The run of stop words before the next token: how many words it has
    // (from two on, Xapian keeps it, as one operand: its second word is
    // counted kept), and its first word and where it stood, for when a word
    // of its group follows and Xapian leaves the run out.
    std::size_t run_length_ = 0;
    std::string run_stop_;
    std::size_t run_stop_pos_ = 0;
    std::optional<Sign> sign_;  // the sign of the phrase or group that follows
    bool title_word_ = false;   // the operand being added is a title: word (word() to operand())
};

// NEAR/ADJ take single words, and Xapian (1.4) silently turns them into plain
// words when that is not so; report it instead.
const char* const kProximityHint = " (not a phrase, group, wildcard or +/- word)";

void Checker::operand(Kind kind, Role role) {
    Level& l = cur();
    const bool dropped = role == Role::Dropped && !l.excluding_stop;
    const bool chained = l.prev == Prev::Operator && (l.op_name == "NEAR" || l.op_name == "ADJ");
    // Xapian reads "oil NOT gas coal" as oil AND NOT (gas OR coal), and
    // "oil AND -gas coal" so too: coal is left out, not found.
    const bool source = role == Role::Source;
    if (!chained && l.excluding && l.seg_kept > 0 && !dropped && !(source && l.seg_sources == l.seg_kept)) {
        if (l.seg_after == "AND")
            fail(q_, *l.excluding,
                 "AND before a -word leaves out all that follows it up to the next operator; put the -words after "
                 "the words (oil AND coal -gas), or use AND NOT for one");
        const std::string op(l.seg_after);
        // A pasted upper-case headline ("FROST NOT EXPECTED TO DAMAGE
        // WHEAT") meets this first: say how to search the word itself.
        const std::string word = op == "NOT" ? "not is a word" : "and not are words";
        fail(q_, *l.excluding,
             op +
                 " leaves out all that follows it up to the next operator; put the words to find before it (oil coal " +
                 op + " gas), or brackets round all it leaves out (oil " + op + " (gas coal)); in lower case, " + word);
    }
    if (!chained) ++l.seg_operands;
    if (!chained && !dropped) {
        ++l.seg_kept;
        if (source) ++l.seg_sources;
    }
    if (role == Role::Find) l.finds = true;
    // Xapian reads "gas (+coal tar)" as gas OR (coal AND_MAYBE tar): the
    // brackets are one optional operand beside gas, coal is not required.
    // With AND between words (--all) the brackets are gas AND (coal AND tar).
    if (!chained && role == Role::Find && ++l.seg_finds > 1 && l.seg_loved && !match_all_)
        fail(q_, *l.seg_loved,
             "+words in brackets beside other words are not required, as the brackets are one optional operand; put "
             "them outside the brackets (gas +coal tar)");
    if (chained) {
        if (kind != Kind::Word)
            fail(q_, l.op_pos, std::string(l.op_name) + " needs a single word on its right" + kProximityHint);
        // Xapian puts title: on one word only, and a headline word's
        // position and a text word's are not comparable: "title:oil ADJ/1
        // gas" matched "gas ... oil" and missed "Oil gas deal".
        if (title_word_ != l.last_title)
            fail(q_, l.op_pos,
                 std::string(l.op_name) +
                     " compares positions within one field, and title: is on one of its words only; put title: "
                     "before the whole chain in brackets: title:(oil " +
                     std::string(l.op_name) + " gas)");
        l.chain = l.op_name;
        l.chain_pos = l.op_pos;
        l.word_before_last = false;
    } else if (l.prev == Prev::Operand) {  // implicit operator between two operands
        if (!l.chain.empty() && word_like(kind))
            fail(q_, l.chain_pos,
                 std::string(l.chain) + " cannot be followed by a word without an operator; use AND/OR or parentheses");
        if (!word_like(kind)) l.chain = {};
        l.word_before_last = word_like(l.last);
    } else {
        l.chain = {};
        l.word_before_last = false;
    }
    l.prev = Prev::Operand;
    l.last = kind;
    l.last_title = title_word_;
    title_word_ = false;
    any_operand_ = true;
}

void Checker::end_run(std::string_view next_op) {
    Level& l = cur();
    if (l.run_starts_hated && refuses_hate_only(l.run_after))  // Xapian: "Syntax: <expression> OR <expression>"
        fail(q_, *l.run_hated,
             "a -word cannot start the right of " + std::string(l.run_after) + stop_note(l.seg_stop) +
                 "; put it after a word (oil OR gas -coal) or use NOT");
    if (l.run_hated && !l.run_positive && (refuses_hate_only(l.run_after) || refuses_hate_only(next_op))) {
        const std::string op(refuses_hate_only(next_op) ? next_op : l.run_after);
        fail(q_, *l.run_hated,
             "-words alone cannot be an operand of " + op + stop_note(l.seg_stop) +
                 "; put them beside the words (oil -gas) or use NOT");
    }
    l.run_positive = false;
    l.run_hated.reset();
    l.run_starts_hated = false;
    l.run_after = next_op;
}

void Checker::hate(std::size_t pos) {
    Level& l = cur();
    if (!hated_) hated_ = pos;
    if (!l.hated) l.hated = pos;
    if (!l.run_hated && !l.run_positive) l.run_starts_hated = true;
    if (!l.run_hated) l.run_hated = pos;
    if (!l.seg_hated) l.seg_hated = pos;
    if (l.seg_operands == 0 && l.seg_after == "AND") l.excluding = l.op_pos;
}

void Checker::love(std::size_t pos) {
    Level& l = cur();
    if (!l.loved && (l.seg_after.empty() || l.seg_after == "AND")) l.loved = pos;
}

void Checker::start_operands(std::string_view name, std::size_t pos) {
    Level& l = cur();
    l.seg_operands = l.seg_kept = l.seg_sources = l.seg_finds = 0;
    l.seg_loved.reset();
    l.seg_positive = false;
    l.seg_hated.reset();
    l.seg_after = name;
    l.excluding.reset();
    l.excluding_stop = false;
    if (name == "NOT" || name == "AND NOT") l.excluding = pos;
    l.seg_stop.clear();
}

void Checker::end_operands(std::string_view next_op, std::size_t next_pos) {
    Level& l = cur();
    if (l.seg_stop.empty()) return;
    if (l.seg_operands == 1) {  // alone: Xapian keeps it ("the AND -gas", "(the)")
        l.seg_stop.clear();
        l.finds = true;
        return found();
    }
    if (stop_word_.empty()) stop_word_ = l.seg_stop;
    // "the + who AND oil": stop words apart are each left out, and Xapian
    // refused the operator beside them without a column.
    if (l.seg_kept == 0 && !l.seg_after.empty())
        fail(q_, l.op_pos, std::string(l.op_name) + " needs a term on its right" + stop_note(l.seg_stop));
    if (l.seg_kept == 0 && !next_op.empty())
        fail(q_, next_pos, std::string(next_op) + " needs a term on its left" + stop_note(l.seg_stop));
    // "oil AND the -gas": Xapian refused it without a column and searched oil OR gas.
    if (l.seg_after == "AND" && !l.excluding && l.seg_hated && !l.seg_positive)
        fail(q_, l.seg_stop_pos,
             "-words alone cannot be the right of AND" + stop_note(l.seg_stop) + "; write oil -gas or oil AND NOT gas");
}

std::string Checker::stop_note(const std::string& word) {
    return word.empty() ? "" : " ('" + word + "' is a stop word, left out of a query beside other words)";
}

void Checker::binary_operator(std::size_t pos, std::string_view name, std::string_view token) {
    Level& l = cur();
    if (token.size() > name.size()) {  // NEAR/n, ADJ/n
        const std::string_view digits = token.substr(name.size() + 1);
        unsigned long n = 0;
        bool ok = !digits.empty() && digits.size() <= 4;
        for (char d : digits) ok = ok && is_ascii_digit(d), n = n * 10 + static_cast<unsigned>(d - '0');
        if (!ok || n < 1 || n > 1000) fail(q_, pos, std::string(name) + " distance must be a number from 1 to 1000");
    }
    const bool and_not = name == "NOT" && l.prev == Prev::Operator && l.op_name == "AND";
    if (l.prev != Prev::Operand && !and_not) fail(q_, pos, std::string(name) + " needs a term on its left");
    if (name != "NEAR" && name != "ADJ" && !and_not) end_operands(name, pos);
    // AND binds tighter than OR and XOR: "oil AND -gas OR coal" is
    // (oil AND_NOT gas) OR coal, one operand of OR (a review).
    if (name == "OR" || name == "XOR" || name == "NOT") end_run(and_not ? "AND NOT" : name);
    if (name == "OR" || name == "XOR") l.has_or = true;
    // "-gas AND oil": Xapian refused it and searched its words (a review).
    // After an AND ("oil AND -gas AND coal") it is AND NOT.
    if (name == "AND" && l.seg_hated && !l.seg_positive && l.seg_after != "AND")
        fail(q_, *l.seg_hated,
             "-words alone cannot be the left of AND; put them beside the words (oil -gas AND coal) or use AND NOT");
    if (name != "NEAR" && name != "ADJ") start_operands(and_not ? "AND NOT" : name, and_not ? l.op_pos : pos);
    if (name == "NEAR" || name == "ADJ") {
        if (l.last == Kind::Other)
            fail(q_, pos, std::string(name) + " needs a single word on its left" + kProximityHint);
        if (l.word_before_last)
            fail(q_, pos, std::string(name) + " cannot follow a word without an operator; use AND/OR or parentheses");
        if (!l.chain.empty() && l.chain != name)
            fail(q_, pos, "NEAR and ADJ cannot be mixed in one chain; use parentheses");
    } else {
        l.chain = {};
    }
    l.prev = Prev::Operator;
    l.op_name = name;
    l.op_pos = pos;
}

void Checker::word(std::size_t pos, std::string_view tok) {
    bool stop_word = false;
    bool group_word = false;  // a plain word Xapian groups with the words after it
    // Whether this token follows a stop word directly (a run of them), or a
    // plain word and its stop words.
    struct Next {
        Checker& c;
        bool& stop;
        bool& group;
        ~Next() {
            if (group || (stop && c.before_ == Before::WordGroup)) c.before_ = Before::WordGroup;
            else c.before_ = stop ? Before::StopWords : Before::Other;
        }
    } next{*this, stop_word, group_word};
    // "--gas" or "+-gas": Xapian searches gas, whatever the signs meant.
    if (tok.size() > 2 && (tok[0] == '+' || tok[0] == '-') && (tok[1] == '+' || tok[1] == '-') && tok[2] != '+' &&
        tok[2] != '-')
        fail(q_, pos,
             "one sign before a word: " + std::string(1, tok[1]) + std::string(tok.substr(2)) +
                 " (Xapian reads two as none and searches the word)");
    const std::string_view name = tok.substr(0, tok.find('/'));
    const bool has_distance = name.size() < tok.size();
    const bool is_op =
        name == "AND" || name == "OR" || name == "NOT" || name == "XOR" || name == "NEAR" || name == "ADJ";
    if (is_op && (!has_distance || name == "NEAR" || name == "ADJ")) return binary_operator(pos, name, tok);
    if (tok == "+" || tok == "-") {  // Xapian ignores a lone love/hate sign ("oil - gas")
        if (!lone_sign_) lone_sign_ = pos;
        return;
    }
    if (const std::size_t sign = tok.front() == '+' || tok.front() == '-'; tok.substr(sign).starts_with("date:")) {
        date_range(pos + sign, tok.substr(sign));
        found();  // -date: is the passages outside the range
        return operand(Kind::Other, Role::Filter);
    }
    const std::size_t after = pos + tok.size();
    const auto single = single_word(tok, true);  // the word the parser reads, cut once
    if (is_bare_field_prefix(tok)) {
        // "-title:" straight before a quote or '(': its sign is the value's.
        const bool signed_ = tok.front() == '+' || tok.front() == '-';
        sign_ = Sign{signed_ ? tok.front() : '\0', pos, tok.substr(signed_).starts_with("source:")};
    } else if (tok.front() == '-') {
        Level& l = cur();
        if (l.seg_operands == 0 && l.seg_after == "AND") l.excluding_stop = !stop_word_of(tok.substr(1)).empty();
        hate(pos);
    } else if (const std::string stop = tok.ends_with('*') ? std::string() : stop_word_of(single); !stop.empty()) {
        Level& l = cur();
        if (before_ == Before::StopWords) {  // a run of stop words: Xapian keeps it, unless a word follows
            if (l.seg_stop_pos == last_stop_pos_) l.seg_stop.clear();
            found();
            ++run_length_;
        } else {
            run_length_ = 1;
            run_stop_ = stop;
            run_stop_pos_ = pos;
            if (l.seg_stop.empty()) {
                l.seg_stop = stop;
                l.seg_stop_pos = pos;
            }
        }
        last_stop_pos_ = pos;
        stop_word = true;
    } else {
        found();
    }
    if (is_bare_field_prefix(tok) && (after == q_.size() || is_ascii_blank(q_[after]) || q_[after] == ')'))
        fail(q_, pos, "field prefix " + std::string(tok) + " needs a term right after it (no space)");
    // Xapian reads "title:*" as the word "title" (in the text).
    if (tok.size() > 1 && tok.back() == '*' && is_bare_field_prefix(tok.substr(0, tok.size() - 1)))
        fail(q_, pos,
             "field prefix " + std::string(tok.substr(0, tok.size() - 1)) +
                 " needs a word before the wildcard's '*' (title:oil*)");
    // A source is a whole name: Xapian takes "source:(a OR b)" as the name
    // "(a" and "source:reut*" as the name "reut*", which match nothing.
    if (const std::size_t sign = tok.front() == '+' || tok.front() == '-'; tok.substr(sign).starts_with("source:")) {
        if (after < q_.size() && q_[after] == '(')
            fail(q_, pos,
                 "source: takes one name, not a group; for any of several give each: source:a source:b, or "
                 "(source:a OR source:b)");
        if (tok.find('*') != std::string_view::npos)
            fail(q_, pos, "source: takes a whole name, not a wildcard (sources are listed by --facets source)");
    }
    // "title:" straight before a quote or '(' prefixes what follows: that is the operand.
    if (is_bare_field_prefix(tok)) return;
    Kind kind = Kind::Word;
    if (tok.find('*') != std::string_view::npos || tok.front() == '-') kind = Kind::Other;
    else if (tok.front() == '+') kind = Kind::LoveWord;
    // Words the parser cuts into a phrase ("crude-oil"): beside NEAR, Xapian
    // turned the operator into words ("near 3") and searched the phrase
    // alone (a red-team session).
    else if (!single) kind = Kind::Other;
    Role role = Role::Find;
    if (tok.front() == '-') role = Role::Hated;
    else if (tok.substr(tok.front() == '+').starts_with("source:")) role = Role::Source;
    else if (stop_word && (before_ != Before::StopWords || run_length_ > 2)) role = Role::Dropped;
    // One word to Xapian's parser (not "e-mail" or "U.S.-Japan", which it
    // makes a phrase, no word of a group), "title:" and a wildcard's '*' aside.
    const bool one_word = role == Role::Find && !stop_word && single;
    group_word = one_word && kind == Kind::Word;
    // A word after a run of stop words joins their group, whose stop words
    // Xapian then leaves out: "oil NOT the who gas" is oil AND NOT gas, and
    // so is "oil NOT the who gas*" (but a wildcard leads no group: "gas* the
    // who" keeps the run).
    if (one_word && (kind == Kind::Word || tok.back() == '*') && before_ == Before::StopWords && run_length_ > 1) {
        Level& l = cur();
        --l.seg_kept;
        if (l.seg_stop.empty()) {
            l.seg_stop = run_stop_;
            l.seg_stop_pos = run_stop_pos_;
        }
        run_length_ = 0;
    }
    if (role == Role::Find && tok.front() == '+') love(pos);
    title_word_ = tok.substr(tok.front() == '+' || tok.front() == '-').starts_with("title:");
    operand(kind, role);
}

// What a valid date: range looks like, after every date: error.
constexpr std::string_view kDateRangeForm =
    "want date:FROM..TO, each end a day as YYYY-MM-DD or YYYYMMDD, either one left out, e.g. "
    "date:1987-03-01..1987-03-31 or date:1987-03-01..";

// Why `date` (not a parse_date() day) is not one: the month or the day out of
// the calendar when it has a day's shape, else that it is no day at all.
std::string why_not_a_day(std::string_view date) {
    const auto digits = [&](std::size_t at, std::size_t n) {
        int v = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (!is_ascii_digit(date[i])) return -1;
            v = v * 10 + (date[i] - '0');
        }
        return v;
    };
    const bool dashed = date.size() == 10 && date[4] == '-' && date[7] == '-';
    if (!dashed && date.size() != 8) return "not a day";
    const int year = digits(0, 4), month = digits(dashed ? 5 : 4, 2), day = digits(dashed ? 8 : 6, 2);
    if (year < 0 || month < 0 || day < 0) return "not a day";
    if (year < 1000) return "a year before 1000";
    if (month < 1 || month > 12) return "there is no month " + std::to_string(month);
    return std::string(date.substr(0, dashed ? 7 : 6)) + " has no day " + std::to_string(day);
}

// "date:FROM..TO", either end may be left out; each end a real calendar day.
void Checker::date_range(std::size_t pos, std::string_view tok) {
    constexpr std::size_t kField = 5;  // "date:"
    const std::string_view value = tok.substr(kField);
    const std::string form(kDateRangeForm);
    const std::size_t dots = value.find("..");
    if (dots == std::string_view::npos) fail(q_, pos, "date: needs a range; " + form);
    const std::string_view from = value.substr(0, dots), to = value.substr(dots + 2);
    if (from.empty() && to.empty()) fail(q_, pos, "date: range needs a start or an end; " + form);
    auto key = [&](std::string_view date, std::size_t at) {
        if (date.empty()) return std::string();
        auto k = format::parse_date(date);
        if (!k)
            fail(q_, at,
                 "bad date '" + std::string(date) + "' in " + std::string(tok) + " (" + why_not_a_day(date) + "); " +
                     form);
        return *k;
    };
    const std::string since = key(from, pos + kField), until = key(to, pos + kField + dots + 2);
    if (!since.empty() && !until.empty() && since > until)
        fail(q_, pos,
             "date range " + std::string(tok) + " ends before it starts (" + std::string(from) + " is after " +
                 std::string(to) + "); " + form);
}

void Checker::run() {
    std::size_t i = 0;
    while (i < q_.size()) {
        const auto c = static_cast<unsigned char>(q_[i]);
        if (is_control(c)) fail(q_, i, "control character (code " + std::to_string(c) + ") not allowed");
        if (is_ascii_blank(c)) {
            ++i;
            continue;
        }
        if (const std::size_t ql = quote_len(q_, i)) {  // a phrase: operators inside are words
            const std::size_t open = i;
            std::size_t j = i + ql, close = 0;
            for (; j < q_.size(); ++j) {
                const auto d = static_cast<unsigned char>(q_[j]);
                if (is_control(d)) fail(q_, j, "control character (code " + std::to_string(d) + ") not allowed");
                if ((close = quote_len(q_, j)) != 0) break;
                // Xapian reads "oil pri*" as the phrase of "oil" and "pri": it
                // matched nothing, silently.
                if (d == '*' && j > open + ql && !is_ascii_blank(static_cast<unsigned char>(q_[j - 1])))
                    fail(q_, j, "a wildcard inside a phrase finds nothing: a phrase takes whole words");
            }
            if (close == 0) fail(q_, open, "unbalanced double quote");
            // Xapian drops a phrase without words: the query would search
            // for less than was typed, or for nothing at all.
            if (format::cut_words(q_.substr(open + ql, j - open - ql)).list().empty())
                fail(q_, open, "empty phrase: put words between the double quotes");
            before_ = Before::Other;
            const bool hated = sign_ && sign_->c == '-';
            if (hated) hate(sign_->pos);
            const Role role = hated ? Role::Hated : sign_ && sign_->filter ? Role::Source : Role::Find;
            if (role == Role::Find && sign_ && sign_->c == '+') love(sign_->pos);
            sign_.reset();
            operand(Kind::Other, role);
            if (!hated) found();
            i = j + close;
            continue;
        }
        if (c == '(' || c == ')') before_ = Before::Other;
        if (c == '(') {
            Level inner;
            if (sign_) inner.sign = sign_->c, inner.sign_pos = sign_->pos;
            sign_.reset();
            inner.open_pos = i++;
            levels_.push_back(inner);
            continue;
        }
        if (c == ')') {
            if (levels_.size() == 1) fail(q_, i, "unbalanced parenthesis: ')' has no matching '('");
            const Level inner = cur();
            if (inner.prev == Prev::Operator)
                fail(q_, inner.op_pos, std::string(inner.op_name) + " needs a term on its right");
            // "oil (-gas)": a group of -words only leaves out of nothing,
            // and Xapian read it as nonsense.
            if (inner.prev == Prev::Operand) end_operands();
            end_run("");
            const Level closed = cur();
            if (closed.hated && !closed.wanted && !hated_group_) hated_group_ = *closed.hated;
            levels_.pop_back();
            // "-(gas coal)" leaves out what the group finds.
            if (closed.sign == '-' && inner.prev == Prev::Operand) hate(closed.sign_pos);
            else if (closed.wanted) found();
            if (inner.prev == Prev::Operand) {
                Level& l = cur();
                const Role role = closed.sign == '-' ? Role::Hated : closed.finds ? Role::Find : Role::Filter;
                if (role == Role::Find && closed.sign == '+') love(closed.sign_pos);
                // "gas ((+coal))": the +word of an unsigned group is its level's too.
                if (role == Role::Find && closed.sign == 0 && closed.loved && !closed.has_or) {
                    love(*closed.loved);
                    if (!l.seg_loved) l.seg_loved = closed.loved;
                }
                operand(Kind::Other, role);
            }
            // Xapian drops "()": the operator before it would lose its operand,
            // and the query would search for less than was typed.
            if (inner.prev == Prev::Start) {
                if (cur().prev == Prev::Operator)
                    fail(q_, cur().op_pos, std::string(cur().op_name) + " needs a term on its right");
                fail(q_, inner.open_pos, "empty parentheses: put a term between them");
            }
            ++i;
            continue;
        }
        // A word: up to space, control character, parenthesis or quote.
        const std::size_t start = i;
        while (i < q_.size()) {
            const auto d = static_cast<unsigned char>(q_[i]);
            if (is_ascii_blank(d) || is_control(d) || d == '(' || d == ')' || quote_len(q_, i)) break;
            ++i;
        }
        const std::string_view tok = q_.substr(start, i - start);
        // A sign straight before a phrase or a group is theirs, not a lone dash.
        if ((tok == "+" || tok == "-") && i < q_.size() && (q_[i] == '(' || quote_len(q_, i) != 0)) {
            sign_ = Sign{tok.front(), start};
            before_ = Before::Other;
            continue;
        }
        word(start, tok);
    }
    if (cur().prev == Prev::Operator) fail(q_, cur().op_pos, std::string(cur().op_name) + " needs a term on its right");
    if (levels_.size() == 1) {
        end_operands();
        end_run("");
    }
    if (levels_.size() > 1) fail(q_, levels_[1].open_pos, "unbalanced parenthesis: '(' is never closed");
    // Between words a lone sign is a dash ("oil - gas"); alone, it is a query of nothing.
    if (lone_sign_ && !any_operand_)
        fail(q_, *lone_sign_,
             "'" + std::string(1, q_[*lone_sign_]) + "' needs a term right after it (no space), as in +opec or -iran");
    // Only -words: Xapian searched nothing, or the words themselves.
    if (hated_ && !levels_.front().wanted)
        fail(q_, *hated_,
             "nothing to search for: -words only leave passages out; add a word to find, as in opec -iran" +
                 stop_note(stop_word_));
    if (hated_group_)
        fail(q_, *hated_group_,
             "a group of -words only leaves passages out of nothing; put them beside the words, as in oil -gas");
}

}  // namespace

void check_query_syntax(std::string_view query, bool match_all) { Checker(query, match_all).run(); }

void check_has_words(std::string_view q) {
    std::size_t first = 0, last = q.size();
    while (first < last && is_ascii_blank(q[first])) ++first;
    while (last > first && is_ascii_blank(q[last - 1])) --last;
    if (first == last) fail(q, 0, "empty query: give a word to search for");
    if (format::cut_words(q).list().empty())
        fail(q, first,
             "nothing to search for in '" + std::string(q.substr(first, last - first)) +
                 "': no word, only punctuation or symbols");
}

void check_query_text(std::string_view q) {
    std::size_t words = 0;
    for (std::size_t i = 0; i < q.size();) {
        const auto c = static_cast<unsigned char>(q[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        // Lead byte, then continuation bytes; overlongs and surrogates are Xapian's problem (it copes).
        const std::size_t len = c >= 0xC2 && c <= 0xDF   ? 2
                                : c >= 0xE0 && c <= 0xEF ? 3
                                : c >= 0xF0 && c <= 0xF4 ? 4
                                                         : 0;
        bool ok = len != 0 && i + len <= q.size();
        for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(q[i + k]) & 0xC0) == 0x80;
        if (!ok) fail(q, i, "invalid UTF-8 (byte " + std::to_string(c) + ")");
        i += len;
    }
    for (std::size_t i = 0; i < q.size();) {
        while (i < q.size() && (is_ascii_blank(q[i]) || q[i] == '(' || q[i] == ')')) ++i;
        if (i == q.size()) break;
        const std::size_t start = i;
        while (i < q.size() && !is_ascii_blank(q[i]) && q[i] != '(' && q[i] != ')') ++i;
        const std::string_view w = q.substr(start, i - start);
        const bool op =
            w == "AND" || w == "OR" || w == "NOT" || w == "XOR" || w.starts_with("NEAR") || w.starts_with("ADJ");
        if (!op && ++words > kMaxQueryWords)
            fail(q, start, "more than " + std::to_string(kMaxQueryWords) + " words (the limit for one query)");
    }
}

std::size_t quote_len(std::string_view q, std::size_t pos) {
    if (q[pos] == '"') return 1;
    if (q.substr(pos, 3) == "\xE2\x80\x9C" || q.substr(pos, 3) == "\xE2\x80\x9D") return 3;
    return 0;
}

std::string space_brackets(std::string_view q) {
    std::string out;
    out.reserve(q.size() + 8);
    for (std::size_t i = 0; i < q.size();) {
        if (const std::size_t ql = quote_len(q, i)) {  // a phrase or quoted value: as typed
            std::size_t j = i + ql, close = 0;
            while (j < q.size() && (close = quote_len(q, j)) == 0) ++j;
            const std::size_t end = std::min(q.size(), j + close);
            out.append(q.substr(i, end - i));
            i = end;
            continue;
        }
        const char c = q[i];
        if (c == '(' && !out.empty()) {
            const char before = out.back();
            if (!is_ascii_blank(static_cast<unsigned char>(before)) && before != '(' && before != ':' &&
                before != '+' && before != '-')
                out += ' ';
        }
        out += c;
        if (c == ')' && i + 1 < q.size() && !is_ascii_blank(static_cast<unsigned char>(q[i + 1])) && q[i + 1] != ')')
            out += ' ';
        ++i;
    }
    return out;
}

}  // namespace trawl::query
