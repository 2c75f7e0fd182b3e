// indexer/prune.hpp: which file a location names, and whether the run's
// inputs name it (the whole --prune runs in tests/e2e/prune_test.cpp); how
// often a --prune run walks its input folders.
#include "indexer/prune.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus/read/article_reader.hpp"
#include "indexer/index_job.hpp"
#include "tests/testutil/temp_dir.hpp"

TEST(Prune, TheLocationsFileAndWhetherTheInputsNameIt) {
    using trawl::index::location_file;
    using trawl::index::under_input;
    EXPECT_EQ(location_file("/no/such/feed.jsonl:17"), "/no/such/feed.jsonl");
    EXPECT_EQ(location_file("/no/such/a.txt"), "/no/such/a.txt");
    EXPECT_EQ(location_file("http://example.com/x"), "http://example.com/x") << "no line after the colon";
    EXPECT_EQ(location_file("/no/such/a:b:12"), "/no/such/a:b");
    EXPECT_TRUE(under_input("news/a.txt", "news"));
    EXPECT_TRUE(under_input("news/a.txt", "news/"));
    EXPECT_TRUE(under_input("news/sub/a.txt", "news"));
    EXPECT_TRUE(under_input("feed.jsonl", "feed.jsonl"));
    EXPECT_FALSE(under_input("newsroom/a.txt", "news"));
    EXPECT_FALSE(under_input("./news/a.txt", "news")) << "another spelling names nothing";
    EXPECT_FALSE(under_input("-", "-"));
    EXPECT_FALSE(under_input("news", "news/")) << "the folder itself is no article's file";
}

// --prune tells a folder holding no file to read (an unmounted disk: nothing
// pruned, a warning) from one whose files are gone by the files the run
// listed. It walked each input folder once more for that (three walks in
// all, with the first pass's and the indexing pass's): the run now lists its
// inputs once, and both passes and the prune read that list.
TEST(Prune, EachInputFolderIsWalkedOnceARun) {
    namespace fs = std::filesystem;
    using namespace trawl;
    test::TempDir tmp;
    // A name with a line break: the warning stays one line (\x0a).
    const auto news = tmp / "news", empty = tmp / "empty\ndisk";
    fs::create_directories(news / "sub");
    fs::create_directories(empty);
    std::ofstream(news / "a.txt") << "Alpha\n\nokapiword alpha.\n";
    std::ofstream(news / "sub" / "b.txt") << "Beta\n\nokapiword beta.\n";
    index::IndexConfig cfg;
    cfg.db_path = (tmp / "idx").string();
    cfg.inputs = {news.string(), empty.string()};
    cfg.prune = true;
    for (const bool boilerplate : {true, false}) {  // the first pass learns, or reads the ids only
        SCOPED_TRACE(boilerplate ? "learning boilerplate" : "--keep-boilerplate");
        cfg.cleaning.boilerplate = boilerplate;
        std::ofstream(news / "sub" / "b.txt") << "Beta\n\nokapiword beta.\n";
        std::ostringstream out, err;
        std::uint64_t walks = corpus::directory_walks();
        ASSERT_EQ(index::run_index(cfg, out, err), 0) << err.str();
        EXPECT_EQ(corpus::directory_walks() - walks, 2u) << "one walk of each input folder";
        EXPECT_NE(err.str().find("warning: " + (tmp / "empty\\x0adisk").string() +
                                 " holds no file to read: nothing pruned from it\n"),
                  std::string::npos)
            << err.str();
        EXPECT_NE(out.str().find("pruned 0 articles"), std::string::npos) << out.str();

        fs::remove(news / "sub" / "b.txt");
        out.str("");
        err.str("");
        walks = corpus::directory_walks();
        ASSERT_EQ(index::run_index(cfg, out, err), 0) << err.str();
        EXPECT_EQ(corpus::directory_walks() - walks, 2u);
        EXPECT_NE(out.str().find("pruned 1 article whose files are gone (1 passage)"), std::string::npos) << out.str();
    }
}

// Standard input or a pipe beside a folder: the folder is listed (and
// checked) before the pipe is copied, the copy after, and the run reads
// them in the order given, the folder walked once.
TEST(Prune, AFolderBesideAPipeIsWalkedOnce) {
    namespace fs = std::filesystem;
    using namespace trawl;
    test::TempDir tmp;
    const auto news = tmp / "news";
    fs::create_directories(news);
    std::ofstream(news / "a.txt") << "Alpha\n\nokapiword alpha.\n";
    const auto fifo = tmp / "feed.jsonl";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    std::thread writer([&] { std::ofstream(fifo) << "{\"id\": \"j1\", \"text\": \"okapiword one\"}\n"; });
    index::IndexConfig cfg;
    cfg.db_path = (tmp / "idx").string();
    cfg.inputs = {fifo.string(), news.string()};
    cfg.prune = true;
    std::ostringstream out, err;
    const std::uint64_t walks = corpus::directory_walks();
    int status = -1;
    try {
        status = index::run_index(cfg, out, err);
    } catch (const std::exception& e) {
        err << e.what();
    }
    // (A run that failed before copying the pipe leaves the writer waiting for a reader.)
    const int unblock = status != 0 ? ::open(fifo.c_str(), O_RDWR) : -1;
    writer.join();
    if (unblock >= 0) ::close(unblock);
    ASSERT_EQ(status, 0) << err.str();
    EXPECT_EQ(corpus::directory_walks() - walks, 1u);
    EXPECT_NE(out.str().find("indexed 2 articles"), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("pruned 0 articles"), std::string::npos) << out.str();
    EXPECT_EQ(err.str().find("holds no file"), std::string::npos) << err.str();
}
