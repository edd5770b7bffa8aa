#ifndef DUS_SEARCH_INDEX_H
#define DUS_SEARCH_INDEX_H

#include <sqlite3.h>
#include <stdint.h>

/// Text `k` of the review with id `r` is row `(r << DUS_SEARCH_TEXT_ID_BITS) + k` of the
/// search index (`Schema.searchTextIDs` is built from it).
#define DUS_SEARCH_TEXT_ID_BITS 20

/// Readies a connection to dus's search index, which keeps no table of text lengths
/// (FTS5's `columnsize = 0`): dus keeps them itself, one row per review in `search_size`.
///
/// - Adds the FTS5 ranking function `dus_bm25(search)`: FTS5's own `bm25()`, the same
///   formula (k1 = 1.2, b = 0.75) and the same arithmetic, with the length of each text
///   read from `search_size` (`sizes`: one little-endian 32-bit count of words for each of
///   the review's texts, in the order of their row ids).
/// - Puts a counter in front of FTS5's `porter` tokenizer on this connection: each time a
///   text is split into words to be indexed, the number of its words (the length bm25
///   uses) is added to `*words`. Queries and removals are split as before and not
///   counted. The words are FTS5's own, so the index is the same as without the counter.
///
/// - `dus_bm25` counts what it ranks into `*ranked`: each row it is called for adds one
///   to `texts`, and each review met for the first time one to `reviews`. A ranking reads
///   every matching row (to order them), so these are the counts of the match, without a
///   second pass. Rows come in rowid order, a review's texts together; `ordered` is set
///   to 0 should a row come before the one ranked last, and the review count is then not
///   to be trusted. Set `*ranked` to `{0, 0, -1, 1}` before a ranking.
///
/// `words` and `ranked` must stay valid while the connection is open. Returns an SQLite
/// result code.
typedef struct {
    int64_t texts;
    int64_t reviews;
    int64_t last_review;
    int ordered;
} DusRankCounts;

int dus_search_prepare(sqlite3 *db, uint32_t *words, DusRankCounts *ranked);

#endif
