/* replay_main: the main() of a fuzz target built without libFuzzer (any
 * compiler, the normal and the sanitizer builds): runs every file named on
 * the command line, or every file of a named directory, through
 * LLVMFuzzerTestOneInput once. ctest replays each target's corpus this way
 * (fuzz_replay_<target>), so a crash the fuzzer once found stays a
 * regression test in every build. Exit 0 when all ran; a finding aborts. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fuzz.h"

static int run_file(const char *path)
{
    struct stat st;
    FILE *f = fopen(path, "rb");
    if (!f || fstat(fileno(f), &st) != 0) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        if (f) fclose(f);
        return -1;
    }
    size_t n = (size_t)st.st_size;
    uint8_t *d = malloc(n ? n : 1);      /* exact size: ASan sees a read past the input */
    if (!d || fread(d, 1, n, f) != n) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        free(d);
        fclose(f);
        return -1;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(d, n);
    free(d);
    return 0;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d) { fprintf(stderr, "replay: cannot open %s\n", dir); return -1; }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        char **nn = realloc(names, (n + 1) * sizeof *names);
        if (!nn) break;
        names = nn;
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (names[i] && run_file(path) < 0) rc = -1;
        else (*count)++;
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    size_t count = 0;
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: %s FILE|DIR...\n"
                   "Run each file (every file of each DIR) once through this fuzz target\n"
                   "(a corpus replay; the libFuzzer build is ci/fuzz: docs/fuzzing.md).\n", argv[0]);
            return 0;
        }
        if (argv[i][0] == '-') {
            fprintf(stderr, "%s: unknown option '%s' (see --help)\n", argv[0], argv[i]);
            return 2;
        }
    }
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) rc |= run_dir(argv[i], &count);
        else if (run_file(argv[i]) < 0) rc = -1;
        else count++;
    }
    printf("replayed %zu inputs\n", count);
    return rc ? 1 : 0;
}
