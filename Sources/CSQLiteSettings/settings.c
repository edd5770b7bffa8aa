#include "CSQLiteSettings.h"
#include <sqlite3.h>

int dus_sqlite_turn_off_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int dus_sqlite_accept_uri_file_names(void) {
    return sqlite3_config(SQLITE_CONFIG_URI, 1);
}
