#include "corpus/read/html_tokenizer.hpp"

#include <gtest/gtest.h>

using namespace trawl::corpus::html;

namespace {
// "<name a=v>", "</name>" and "'text'" per token.
std::vector<std::string> show(const std::vector<Token>& tokens) {
    std::vector<std::string> out;
    for (const Token& t : tokens) {
        if (t.kind == Token::Text) {
            out.push_back("'" + t.text + "'");
            continue;
        }
        std::string s = t.kind == Token::End ? "</" + t.name : "<" + t.name;
        for (const auto& [k, v] : t.attrs) s += " " + k + "=" + v;
        out.push_back(s + ">");
    }
    return out;
}
}  // namespace

TEST(HtmlTokenizer, TagsAttributesTextAndEntities) {
    EXPECT_EQ(show(tokenize("<!DOCTYPE html><P CLASS=\"a>b\" data-x='1' hidden id=x>Fish &amp;\n  chips</p><br/>")),
              (std::vector<std::string>{"<p class=a>b data-x=1 hidden= id=x>", "'Fish & chips'", "</p>", "<br>"}));
}

TEST(HtmlTokenizer, ScriptAndStyleAreSkippedWholeTitleIsRawText) {
    EXPECT_EQ(show(tokenize("<script>if (a < b) document.write('</p>');</script><title>A <b> &amp; B</title>x")),
              (std::vector<std::string>{"<script>", "</script>", "<title>", "'A <b> & B'", "</title>", "'x'"}));
}

TEST(HtmlTokenizer, CommentsVanishStrayLessThanIsText) {
    EXPECT_EQ(show(tokenize("a<!-- <p>hidden</p> -->b < c <3 <?php x ?>d<!-- unclosed")),
              (std::vector<std::string>{"'a'", "'b < c <3 '", "'d'"}));
}

TEST(HtmlTokenizer, FurnitureMaskCoversNestedAndUnclosedElements) {
    const auto tokens = tokenize("<nav><nav>x</nav>y</nav>z<aside>w");
    EXPECT_EQ(furniture_mask(tokens), (std::vector<bool>{true, true, true, true, true, true, false, true, true}));
}
