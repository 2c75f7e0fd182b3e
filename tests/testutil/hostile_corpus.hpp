// A corpus of bad inputs, written at test time (binary and compressed files
// cannot be committed as text): every kind of hostile record Trawl must skip
// and count, or repair, while keeping the good records around it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "tests/testutil/compress.hpp"

namespace trawl::test {

struct HostileCorpus {
    // Article ids that must be indexed, each with a word found only in it.
    std::map<std::string, std::string> good;
    // Skipped records by reason, as the summary counts them.
    std::map<std::string, std::uint64_t> skipped;
    // Files that must be named in a skip message (path relative to the root).
    std::vector<std::string> named;
};

// Deterministic pseudo-random bytes (with NULs) behind an ELF-like header.
inline std::string binary_bytes(std::size_t n) {
    std::string out = std::string(
        "\x7F"
        "ELF\x02\x01\x01\x00",
        8);
    std::uint32_t x = 2463534242u;
    while (out.size() < n) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        out += static_cast<char>(x & 0xFF);
        if (x % 7 == 0) out += '\0';
    }
    return out;
}

// Writes the corpus into `root` (format auto) and says what must come out.
inline HostileCorpus write_hostile_corpus(const std::filesystem::path& root) {
    using namespace std::string_literals;
    HostileCorpus c;
    // Plain good article.
    write_file(root / "a-good.txt",
               "Harbour reopens\n\nThe harbour reopened on Monday after the storm aardvarkword.\n");
    c.good["a-good"] = "aardvarkword";
    // Invalid UTF-8 (Windows-1252 bytes): repaired with a warning, kept.
    write_file(root / "b-bad-utf8.txt",
               "Caf\xE9 news\n\nThe caf\xE9 served \x93"
               "coffee\x94 to buffaloword guests.\n");
    c.good["b-bad-utf8"] = "buffaloword";
    // NUL bytes inside text: dropped (a warning), the article kept.
    write_file(root / "c-nul.txt", "Nul title\n\nThe text\0 has NUL\0 bytes in camelword.\n"s);
    c.good["c-nul"] = "camelword";
    // A binary file: skipped, not indexed as garbage.
    write_file(root / "d-binary.bin", binary_bytes(16 * 1024));
    c.skipped["binary file"] = 1;
    c.named.push_back("d-binary.bin");
    // An empty file.
    write_file(root / "e-empty.txt", "");
    c.skipped["empty file"] = 1;
    c.named.push_back("e-empty.txt");
    // A truncated .gz article: the article is incomplete, so skipped.
    const std::string gz = gzip_compress("Gzip title\n\nThis article is cut off before its end, with dingoword.\n");
    write_file(root / "f-cut.txt.gz", gz.substr(0, gz.size() / 2));
    c.named.push_back("f-cut.txt.gz:3");  // where its text stops (zcat: "Gzip title\n\nThis article is cut ")
    // A truncated .zst JSONL file: the records before the cut stand (how many
    // depends on where zstd stops; the test checks only the first).
    std::string lines;
    for (int i = 0; i < 3000; ++i)
        lines += "{\"_id\": \"z" + std::to_string(i) + "\", \"text\": \"Record " + std::to_string(i) +
                 " of a long file, eaglewordz" + std::to_string(i) + " and filler words to make it longer.\"}\n";
    const std::string zst = zstd_compress(lines);
    write_file(root / "g-cut.jsonl.zst", zst.substr(0, zst.size() - 20));
    c.good["z0"] = "eaglewordz0";
    c.skipped["unreadable input"] = 2;          // the .gz and the .zst
    c.named.push_back("g-cut.jsonl.zst:2482");  // where its text stops: the first 2 blocks, 2481 lines and a part
    // JSON lines with wrong types and missing fields.
    write_file(
        root / "h-records.jsonl",
        "{\"_id\": \"j1\", \"title\": \"Fine\", \"text\": \"A good JSON record about ferretword.\"}\n"  // 1 ok
        "{\"_id\": {\"nested\": 1}, \"text\": \"id is an object\"}\n"                                   // 2 invalid id
        "{\"_id\": \"j3\", \"text\": 42}\n"  // 3 invalid text
        "{\"_id\": \"j4\", \"title\": 7, \"text\": \"Title of the wrong type, text fine: gerbilword.\"}\n"  // 4 ok
        "this is not json\n"                                                             // 5 invalid JSON
        "{\"_id\": \"j6\"}\n"                                                            // 6 missing text
        "[1, 2, 3]\n"                                                                    // 7 not an object
        "{\"_id\": \"j8\", \"text\": \"raw \0 NUL, dropped: koalaword\"}\n"              // 8 ok
        "{\"_id\": \"j9\", \"text\": \"Escaped \\u0000 NUL is dropped: hyenaword.\"}\n"  // 9 ok
        "{\"_id\": \"j10\", \"text\": \"unterminated\n"s                                 // 10 invalid JSON
    );  // the s suffix keeps line 8's raw NUL (readers drop control characters before parsing)
    c.good["j1"] = "ferretword";
    c.good["j4"] = "gerbilword";
    c.good["j8"] = "koalaword";
    c.good["j9"] = "hyenaword";
    c.skipped["invalid id"] = 1;
    c.skipped["missing text"] = 1;
    c.skipped["invalid text"] = 1;
    c.skipped["invalid JSON"] = 2;
    c.skipped["not an object"] = 1;
    c.named.push_back("h-records.jsonl:2");
    // SGML whose last record is never closed.
    write_file(root / "i-unclosed.sgml",
               "<DOC>\n<DOCNO>S1</DOCNO>\n<TEXT>A closed SGML record about iguanaword.</TEXT>\n</DOC>\n"
               "<DOC>\n<DOCNO>S2</DOCNO>\n<TEXT>This record is never closed, jackalword.\n");
    c.good["S1"] = "iguanaword";
    c.skipped["truncated record"] = 1;
    c.named.push_back("i-unclosed.sgml:5");
    return c;
}

}  // namespace trawl::test
