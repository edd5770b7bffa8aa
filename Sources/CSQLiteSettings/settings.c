#define _GNU_SOURCE
#include <fcntl.h>
#include "CSQLiteSettings.h"
#include <sqlite3.h>

int dus_sqlite_turn_off_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int dus_sqlite_accept_uri_file_names(void) {
    return sqlite3_config(SQLITE_CONFIG_URI, 1);
}

int dus_start_writeback(int fd) {
    return sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
}
