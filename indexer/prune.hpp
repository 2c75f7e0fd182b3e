// --prune: the articles of an index whose input file is gone.
//
// An article's location is the path it was read from as the run named it
// ("/data/news/a.txt", "/data/feed.jsonl:17"; a URL for WikiExtractor
// records and pages that name one). A run that indexes a folder again reads
// the files it holds now; an article whose file was deleted stays in the
// index, still found, pointing at nothing. With --prune, after indexing, the
// articles whose location is a file under one of the run's inputs (a
// folder, or a file named as given) that no longer exists are deleted
// (delete_articles.hpp: one transaction), except those the run read (an
// article skipped as unchanged keeps the location it was first read from:
// renamed or gzipped in place, it is not gone). The inputs are named by
// absolute path (index_options.cpp): a relative location read from another
// directory names another folder's file. A location the inputs do not name
// (another folder, a relative one, a URL, standard input) is never touched,
// nor is a folder holding no file to read (an unmounted disk).
#pragma once

#include <string>
#include <vector>

namespace trawl::index {

// The file part of a location: `location` itself when it names a file that
// exists, or when it has no ":LINE" suffix; else the part before ":LINE"
// (records of JSONL, CSV, SGML files).
std::string location_file(const std::string& location);

// Whether `file` (a location_file()) lies under `input` as the run spelled
// it: equal to it, or inside it when it is a folder ("news" and "news/"
// hold "news/a.txt", not "newsroom/a.txt").
bool under_input(const std::string& file, const std::string& input);

// The ids of the live articles of the index at `path` (every shard of a
// sharded one) whose location_file() is under one of `inputs` and does not
// exist. Standard input ("-") names no file. Throws as opening the index does.
std::vector<std::string> articles_whose_files_are_gone(const std::string& path, const std::vector<std::string>& inputs);

}  // namespace trawl::index
