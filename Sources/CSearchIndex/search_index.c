#include "CSearchIndex.h"

#include <math.h>
#include <string.h>

/* The FTS5 interface of a connection (https://sqlite.org/fts5.html#extending_fts5). */
static fts5_api *fts5_of(sqlite3 *db) {
    fts5_api *api = 0;
    sqlite3_stmt *statement = 0;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &statement, 0) != SQLITE_OK) return 0;
    sqlite3_bind_pointer(statement, 1, (void *)&api, "fts5_api_ptr", 0);
    sqlite3_step(statement);
    sqlite3_finalize(statement);
    return api;
}

/* MARK: Counting the words of indexed texts */

/* The tokenizer module in front of porter: porter's own methods, and where to count. */
typedef struct {
    fts5_tokenizer porter;
    void *porter_context;
    uint32_t *words;
} Counter;

/* One tokenizer made by the module: porter's, and the module. */
typedef struct {
    Fts5Tokenizer *porter;
    Counter *counter;
} CountingTokenizer;

/* One text being split: where FTS5 wants the words, and the count so far. */
typedef struct {
    void *context;
    int (*token)(void *, int, const char *, int, int, int);
    uint32_t *words;
    uint32_t counted;
} CountingCall;

static int counting_create(void *context, const char **arguments, int count, Fts5Tokenizer **out) {
    Counter *counter = context;
    CountingTokenizer *tokenizer = sqlite3_malloc(sizeof *tokenizer);
    if (tokenizer == 0) return SQLITE_NOMEM;
    tokenizer->counter = counter;
    int code = counter->porter.xCreate(counter->porter_context, arguments, count, &tokenizer->porter);
    if (code != SQLITE_OK) {
        sqlite3_free(tokenizer);
        return code;
    }
    *out = (Fts5Tokenizer *)tokenizer;
    return SQLITE_OK;
}

static void counting_delete(Fts5Tokenizer *pointer) {
    CountingTokenizer *tokenizer = (CountingTokenizer *)pointer;
    tokenizer->counter->porter.xDelete(tokenizer->porter);
    sqlite3_free(tokenizer);
}

/* Counts a word as FTS5 counts the length of a text: a word at the place of the one
   before it (FTS5_TOKEN_COLOCATED, a synonym) counts only when it is the first. */
static int counting_token(void *context, int flags, const char *token, int size, int start, int end) {
    CountingCall *call = context;
    if ((flags & FTS5_TOKEN_COLOCATED) == 0 || call->counted == 0) {
        call->counted += 1;
        *call->words += 1;
    }
    return call->token(call->context, flags, token, size, start, end);
}

static int counting_tokenize(Fts5Tokenizer *pointer, void *context, int flags, const char *text, int size,
                             int (*token)(void *, int, const char *, int, int, int)) {
    CountingTokenizer *tokenizer = (CountingTokenizer *)pointer;
    fts5_tokenizer *porter = &tokenizer->counter->porter;
    /* Texts being indexed come as DOCUMENT; so do texts being removed, which the caller
       does not read the count of. */
    if (flags != FTS5_TOKENIZE_DOCUMENT) return porter->xTokenize(tokenizer->porter, context, flags, text, size, token);
    CountingCall call = {context, token, tokenizer->counter->words, 0};
    return porter->xTokenize(tokenizer->porter, &call, flags, text, size, counting_token);
}

/* MARK: Ranking */

/* What dus_bm25 works out once per query. */
typedef struct {
    int phrases;
    double average_length; /* words per text, over the whole index */
    double *idf;           /* per phrase */
    double *frequency;     /* per phrase, for the current row */
    sqlite3_stmt *sizes;   /* SELECT review_id, sizes FROM search_size WHERE review_id >= ?, in order */
    sqlite3_int64 row;     /* the review id of the row `sizes` stands on, or -1 when on none */
    sqlite3_int64 review;  /* the review last asked for, or -1 */
    int has_sizes;         /* whether `sizes` stands on that review's row */
} Ranking;

static void ranking_free(void *pointer) {
    Ranking *ranking = pointer;
    sqlite3_finalize(ranking->sizes);
    sqlite3_free(ranking);
}

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *context) {
    (void)api;
    (void)fts;
    *(sqlite3_int64 *)context += 1;
    return SQLITE_OK;
}

static int ranking_of(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *result, Ranking **out) {
    Ranking *ranking = api->xGetAuxdata(fts, 0);
    if (ranking != 0) {
        *out = ranking;
        return SQLITE_OK;
    }
    int phrases = api->xPhraseCount(fts);
    sqlite3_int64 bytes = sizeof(Ranking) + (sqlite3_int64)phrases * 2 * sizeof(double);
    ranking = sqlite3_malloc64(bytes);
    if (ranking == 0) return SQLITE_NOMEM;
    memset(ranking, 0, (size_t)bytes);
    ranking->phrases = phrases;
    ranking->idf = (double *)&ranking[1];
    ranking->frequency = &ranking->idf[phrases];
    ranking->review = -1;
    ranking->row = -1;

    sqlite3_int64 rows = 0;
    sqlite3_int64 words = 0;
    int code = api->xRowCount(fts, &rows);
    if (code == SQLITE_OK) code = api->xColumnTotalSize(fts, -1, &words);
    if (code == SQLITE_OK) ranking->average_length = (double)words / (double)rows;
    for (int i = 0; code == SQLITE_OK && i < phrases; i++) {
        /* The texts that hold phrase i, and its inverse document frequency as bm25()
           works it out, no lower than 1e-6. */
        sqlite3_int64 hits = 0;
        code = api->xQueryPhrase(fts, i, &hits, count_row);
        if (code == SQLITE_OK) {
            double idf = log((rows - hits + 0.5) / (hits + 0.5));
            ranking->idf[i] = idf <= 0.0 ? 1e-6 : idf;
        }
    }
    if (code == SQLITE_OK) {
        code = sqlite3_prepare_v2(sqlite3_context_db_handle(result), "SELECT review_id, sizes FROM search_size WHERE review_id >= ?1 ORDER BY review_id", -1,
                                  &ranking->sizes, 0);
    }
    if (code == SQLITE_OK) {
        code = api->xSetAuxdata(fts, ranking, ranking_free);
    } else {
        ranking_free(ranking);
    }
    *out = code == SQLITE_OK ? ranking : 0;
    return code;
}

/* The review of a row of the index, and the text's place in it. */
static sqlite3_int64 review_of(sqlite3_int64 rowid) { return rowid >> DUS_SEARCH_TEXT_ID_BITS; }
static sqlite3_int64 text_of(sqlite3_int64 rowid) { return rowid & (((sqlite3_int64)1 << DUS_SEARCH_TEXT_ID_BITS) - 1); }

/* Puts `sizes` on the first row of search_size from `review` on: a few rows on by
   stepping (hits come in order of their row ids, so the next review with a hit is
   usually close), else by a new search of the table. */
static int move_sizes(Ranking *ranking, sqlite3_int64 review) {
    if (ranking->row < 0 || review < ranking->row || review - ranking->row > 16) {
        sqlite3_reset(ranking->sizes);
        sqlite3_bind_int64(ranking->sizes, 1, review);
        ranking->row = -1;
    }
    while (ranking->row < review) {
        int code = sqlite3_step(ranking->sizes);
        if (code == SQLITE_DONE) {
            ranking->row = -1;
            return SQLITE_OK;
        }
        if (code != SQLITE_ROW) {
            ranking->row = -1;
            return code;
        }
        /* The table's row id: it only grows along the walk. */
        ranking->row = sqlite3_column_int64(ranking->sizes, 0);
    }
    return SQLITE_OK;
}

/* The number of words of the row's text, from search_size; -1 when missing. */
static int text_length(Ranking *ranking, sqlite3_int64 rowid, sqlite3_int64 *length) {
    sqlite3_int64 review = review_of(rowid);
    sqlite3_int64 text = text_of(rowid);
    if (review != ranking->review) {
        int code = move_sizes(ranking, review);
        if (code != SQLITE_OK) return code;
        ranking->review = review;
        ranking->has_sizes = ranking->row == review;
    }
    *length = -1;
    if (!ranking->has_sizes) return SQLITE_OK;
    const unsigned char *sizes = sqlite3_column_blob(ranking->sizes, 1);
    int bytes = sqlite3_column_bytes(ranking->sizes, 1);
    if (sizes == 0 || (text + 1) * 4 > bytes) return SQLITE_OK;
    const unsigned char *at = sizes + text * 4;
    *length = (sqlite3_int64)at[0] | (sqlite3_int64)at[1] << 8 | (sqlite3_int64)at[2] << 16 | (sqlite3_int64)at[3] << 24;
    return SQLITE_OK;
}

/* bm25(), as FTS5 works it out (ext/fts5/fts5_aux.c), with each text's length from
   search_size: -1 times the sum over the query's phrases of
   idf * f * (k1 + 1) / (f + k1 * (1 - b + b * length / average length)). */
static void dus_bm25(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *result, int count, sqlite3_value **values) {
    (void)count;
    (void)values;
    const double k1 = 1.2;
    const double b = 0.75;
    Ranking *ranking = 0;
    int code = ranking_of(api, fts, result, &ranking);
    int instances = 0;
    if (code == SQLITE_OK) {
        memset(ranking->frequency, 0, sizeof(double) * ranking->phrases);
        code = api->xInstCount(fts, &instances);
    }
    for (int i = 0; code == SQLITE_OK && i < instances; i++) {
        int phrase, column, offset;
        code = api->xInst(fts, i, &phrase, &column, &offset);
        if (code == SQLITE_OK) ranking->frequency[phrase] += 1.0;
    }
    sqlite3_int64 rowid = api->xRowid(fts);
    DusRankCounts *ranked = api->xUserData(fts);
    if (ranked != 0) {
        ranked->texts += 1;
        if (review_of(rowid) != ranked->last_review) {
            if (review_of(rowid) < ranked->last_review) ranked->ordered = 0;
            ranked->reviews += 1;
            ranked->last_review = review_of(rowid);
        }
    }
    sqlite3_int64 length = 0;
    if (code == SQLITE_OK) code = text_length(ranking, rowid, &length);
    if (code == SQLITE_OK && length < 0) {
        char *message = sqlite3_mprintf(
            "search_size has no length for text %lld of the review with id %lld (dus doctor checks the search index)",
            text_of(rowid), review_of(rowid));
        sqlite3_result_error(result, message ? message : "search_size has no length for a text", -1);
        sqlite3_free(message);
        return;
    }
    double D = (double)length;
    double score = 0.0;
    for (int i = 0; code == SQLITE_OK && i < ranking->phrases; i++) {
        score += ranking->idf[i] * ((ranking->frequency[i] * (k1 + 1.0)) /
                                    (ranking->frequency[i] + k1 * (1 - b + b * D / ranking->average_length)));
    }
    if (code == SQLITE_OK) {
        sqlite3_result_double(result, -1.0 * score);
    } else {
        sqlite3_result_error_code(result, code);
    }
}

int dus_search_prepare(sqlite3 *db, uint32_t *words, DusRankCounts *ranked) {
    fts5_api *api = fts5_of(db);
    if (api == 0) return SQLITE_ERROR;
    Counter *counter = sqlite3_malloc(sizeof *counter);
    if (counter == 0) return SQLITE_NOMEM;
    memset(counter, 0, sizeof *counter);
    counter->words = words;
    /* porter as FTS5 has it, found before the counter takes its name. */
    int code = api->xFindTokenizer(api, "porter", &counter->porter_context, &counter->porter);
    if (code != SQLITE_OK) {
        sqlite3_free(counter);
        return code;
    }
    fts5_tokenizer methods = {counting_create, counting_delete, counting_tokenize};
    code = api->xCreateTokenizer(api, "porter", counter, &methods, sqlite3_free);
    if (code != SQLITE_OK) {
        /* FTS5 calls the destructor only for a tokenizer it took. */
        sqlite3_free(counter);
        return code;
    }
    return api->xCreateFunction(api, "dus_bm25", ranked, dus_bm25, 0);
}
