// End-to-end: trawl-index --prune deletes the articles whose input file is
// gone (indexer/prune.hpp), and only those of the inputs as named.
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "tests/e2e/trawl_commands.hpp"
#include "tests/testutil/run_command.hpp"

namespace fs = std::filesystem;
using trawl::test::index_cmd;
using trawl::test::parse_jsonl;
using trawl::test::query_cmd;
using trawl::test::run_command;
using trawl::test::shell_quote;
using trawl::test::TempDir;

namespace {

std::set<std::string> articles(const std::string& db, const std::string& word) {
    std::set<std::string> ids;
    for (const auto& h : parse_jsonl(run_command(query_cmd(db, "--format json -n 100 " + word)).out))
        ids.insert(h.at("article_id").get<std::string>());
    return ids;
}

}  // namespace

// A deleted file's article stayed searchable, pointing at nothing (a
// red-team review). With --prune it goes, and so does a JSONL file's whole
// set of records; articles of other folders and files that remain stay.
TEST(Prune, ArticlesWhoseFilesAreGoneAreDeleted) {
    TempDir tmp;
    const auto news = tmp / "news", other = tmp / "other";
    fs::create_directories(news / "sub");
    fs::create_directories(other);
    std::ofstream(news / "a.txt") << "Alpha\n\nokapiword alpha.\n";
    std::ofstream(news / "sub" / "b.txt") << "Beta\n\nokapiword beta.\n";
    std::ofstream(news / "c.jsonl") << "{\"id\": \"j1\", \"text\": \"okapiword one\"}\n"
                                    << "{\"id\": \"j2\", \"text\": \"okapiword two\"}\n";
    std::ofstream(other / "d.txt") << "Delta\n\nokapiword delta.\n";
    const std::string db = (tmp / "idx").string();
    ASSERT_EQ(
        run_command(index_cmd(db, "-q " + shell_quote(news.string()) + " " + shell_quote(other.string()))).exit_code,
        0);
    ASSERT_EQ(articles(db, "okapiword"), (std::set<std::string>{"a", "sub/b", "j1", "j2", "d"}));
    fs::remove(news / "sub" / "b.txt");
    fs::remove(news / "c.jsonl");
    fs::remove(other / "d.txt");  // not an input of the next run: stays

    // Without --prune, nothing goes (as before).
    auto r = run_command(index_cmd(db, shell_quote(news.string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(articles(db, "okapiword").size(), 5u);
    // Spelled another way, the folder names none of the locations: nothing goes.
    r = run_command(index_cmd(db, "--prune " + shell_quote(news.string() + "/.")));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("pruned 0 articles whose files are gone (0 passages)"), std::string::npos) << r.out;
    r = run_command(index_cmd(db, "--prune " + shell_quote(news.string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("pruned 3 articles whose files are gone (3 passages)"), std::string::npos) << r.out;
    EXPECT_EQ(articles(db, "okapiword"), (std::set<std::string>{"a", "d"}));
    // Again: nothing left to prune.
    r = run_command(index_cmd(db, "--prune " + shell_quote(news.string())));
    EXPECT_NE(r.out.find("pruned 0 articles"), std::string::npos) << r.out;
    // Standard input names no file.
    r = run_command(index_cmd(db, "--prune --format text -"), "T\n\nx\n");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--prune needs a folder or file"), std::string::npos) << r.err;
}

// Found by a review: an article the run read was pruned when its stored
// location (the file an earlier run first read it from) was gone: a file
// renamed, or gzipped in place, keeps its ids and is skipped as unchanged.
TEST(Prune, AnArticleTheRunReadIsNeverPruned) {
    TempDir tmp;
    const auto news = tmp / "news";
    fs::create_directories(news);
    for (const char* n : {"n1", "n2", "n3"}) std::ofstream(news / (std::string(n) + ".txt")) << n << "\n\nzebraword.\n";
    std::ofstream(news / "f.jsonl") << "{\"id\": \"j1\", \"text\": \"zebraword one\"}\n";
    const std::string db = (tmp / "idx").string(), in = shell_quote(news.string());
    ASSERT_EQ(run_command(index_cmd(db, "-q " + in)).exit_code, 0);
    ASSERT_EQ(articles(db, "zebraword").size(), 4u);
    ASSERT_EQ(run_command("gzip " + shell_quote((news / "n1.txt").string())).exit_code, 0);
    fs::rename(news / "n2.txt", news / "n2");
    fs::rename(news / "f.jsonl", news / "feed-2024.jsonl");
    fs::remove(news / "n3.txt");
    const auto r = run_command(index_cmd(db, "--prune " + in));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("pruned 1 article whose files are gone (1 passage)"), std::string::npos) << r.out;
    EXPECT_EQ(articles(db, "zebraword"), (std::set<std::string>{"n1", "n2", "j1"}));
}

// A relative input would make a run from another directory take another
// folder's files for gone ones (a review): --prune wants absolute paths. A
// folder holding no file (an unmounted disk) prunes nothing.
TEST(Prune, NeedsAbsoluteInputsAndSparesAnEmptyFolder) {
    TempDir tmp;
    const auto news = tmp / "news";
    fs::create_directories(news);
    std::ofstream(news / "a.txt") << "A\n\nzebraword.\n";
    const std::string db = (tmp / "idx").string();
    auto r = run_command("cd " + shell_quote(tmp.str()) + " && " + index_cmd(db, "--prune news"));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--prune needs its inputs named by absolute path (news is relative"), std::string::npos)
        << r.err;
    ASSERT_EQ(run_command(index_cmd(db, "-q " + shell_quote(news.string()))).exit_code, 0);
    fs::remove(news / "a.txt");
    r = run_command(index_cmd(db, "--prune " + shell_quote(news.string())));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("warning: " + news.string() + " holds no file to read: nothing pruned from it"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.out.find("pruned 0 articles"), std::string::npos) << r.out;
    EXPECT_EQ(articles(db, "zebraword"), std::set<std::string>{"a"});
}

// A file the system cannot look at (a folder without permission, a symbolic
// link loop on its path) is not gone: only "no such file" says so (a review:
// a folder made unreadable lost its articles).
TEST(Prune, AFileTheSystemCannotLookAtIsNotGone) {
    TempDir tmp;
    const auto news = tmp / "news";
    fs::create_directories(news / "sub");
    std::ofstream(news / "c.txt") << "C\n\nzebraword c.\n";
    std::ofstream(news / "sub" / "a.txt") << "A\n\nzebraword a.\n";
    const std::string db = (tmp / "idx").string(), in = shell_quote(news.string());
    ASSERT_EQ(run_command(index_cmd(db, "-q " + in)).exit_code, 0);
    fs::rename(news / "sub", tmp / "sub.away");
    fs::create_directory_symlink("sub", news / "sub");  // news/sub -> news/sub: every look loops
    const auto r = run_command(index_cmd(db, "--prune " + in));
    EXPECT_NE(r.out.find("pruned 0 articles"), std::string::npos) << r.out << r.err;
    EXPECT_EQ(articles(db, "zebraword"), (std::set<std::string>{"c", "sub/a"}));
}
