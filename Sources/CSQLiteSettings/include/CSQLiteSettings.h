#ifndef DUS_SQLITE_SETTINGS_H
#define DUS_SQLITE_SETTINGS_H

/// Turns off SQLite's memory statistics for the whole process. SQLite then takes no lock
/// around each of its allocations. It must run before SQLite starts (before the first
/// database is opened); later it changes nothing. Returns SQLite's result code: 0 when
/// the setting was made, 21 (SQLITE_MISUSE) when SQLite had already started.
///
/// `sqlite3_config` takes a variable number of arguments, which Swift cannot call; this
/// function calls it with fixed ones.
int dus_sqlite_turn_off_memory_statistics(void);

/// Lets file names be `file:` URIs (`?immutable=1` opens a database in a folder dus cannot
/// write to); plain paths keep their meaning. Like the setting above, it must run first.
int dus_sqlite_accept_uri_file_names(void);

/// Asks the kernel to start writing the file's changed pages to the disk, without waiting
/// for them (Linux's `sync_file_range` with `SYNC_FILE_RANGE_WRITE`), so that a later
/// `fdatasync` has less left to wait for. Returns 0, or -1 with `errno` set.
int dus_start_writeback(int fd);

#endif
