/* stepsql DB FILE.sql...: runs each file's single SQL statement on DB (read-only, one connection, the
 * check connection's PRAGMAs), steps through every row without reading it, and prints the CPU time
 * (user + system) and row count. Used by check-cpu.sh to profile the checks one query at a time. */
#include <sqlite3.h>
#include <stdio.h>
#include <time.h>

static double cpu_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: stepsql DB FILE.sql...\n"); return 2; }
    sqlite3 *db;
    if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "%s: %s\n", argv[1], sqlite3_errmsg(db));
        return 1;
    }
    sqlite3_exec(db, "PRAGMA query_only = ON; PRAGMA temp_store = FILE; PRAGMA cache_size = -16384;", NULL, NULL, NULL);
    static char sql[1 << 20];
    int failed = 0;
    for (int i = 2; i < argc; i++) {
        FILE *file = fopen(argv[i], "r");
        if (!file) { perror(argv[i]); failed = 1; continue; }
        size_t length = fread(sql, 1, sizeof sql - 1, file);
        sql[length] = 0;
        fclose(file);
        sqlite3_stmt *statement;
        double started = cpu_seconds();
        if (sqlite3_prepare_v2(db, sql, -1, &statement, NULL) != SQLITE_OK) {
            fprintf(stderr, "%s: %s\n", argv[i], sqlite3_errmsg(db));
            failed = 1;
            continue;
        }
        long rows = 0;
        int rc;
        while ((rc = sqlite3_step(statement)) == SQLITE_ROW) rows++;
        if (rc != SQLITE_DONE) { fprintf(stderr, "%s: %s\n", argv[i], sqlite3_errmsg(db)); failed = 1; }
        sqlite3_finalize(statement);
        printf("%7.2f s CPU %10ld rows  %s\n", cpu_seconds() - started, rows, argv[i]);
    }
    sqlite3_close(db);
    return failed;
}
