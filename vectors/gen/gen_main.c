/* gen_main: bc-vectorgen OUTDIR [VECTORSDIR] - writes every vectors file (rest_, ws_, canonical_payload, timing).
 * OUTDIR is required (no argument prints the usage: a bare run never rewrites
 * the committed vectors); keys are read from VECTORSDIR/keys (default BC_VECTORS_DIR).
 * Re-running it on the same keys yields byte-identical files. */
#include "gen.h"
#include <stdio.h>
#include <string.h>

#ifndef BC_VECTORS_DIR
#define BC_VECTORS_DIR "vectors"
#endif

static void gen_keys(gen_ctx *c, const char *vdir) {
    c->hmac = (gen_key){"alice-hmac", GK_HMAC, "bjwWbLax0Q0j3R4WAWjuDe29HnV6Ab6UofaDKcayu40jgi7H7WDLo2oIFbnUv9lX",
                        "keys/hmac.secret", NULL, 0, "", NULL, NULL};
    c->docs_hmac = (gen_key){"docs-hmac", GK_HMAC, "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A",
                             "keys/docs-hmac.secret", NULL, 0, "", NULL, NULL};
    c->rsa2048 = (gen_key){"alice-rsa2048", GK_RSA, "zt9ttjUB8fWqf93uqf2iDkpTthWuP4NUo2E6wP1PmQbWaFHLYjNrJ6rxeQ8rF164",
                           "keys/rsa2048.pem", "keys/rsa2048.pub.pem", 0, "", NULL, NULL};
    c->rsa4096 = (gen_key){"alice-rsa4096", GK_RSA, "LR0YjFlE1leJ8OyUaEL6agI9Uvq23RH9Qxlpc29XMUYwQjsj3HhIh01F3POVdzLM",
                           "keys/rsa4096.pem", "keys/rsa4096.pub.pem", 0, "", NULL, NULL};
    c->ed25519 = (gen_key){"alice-ed25519", GK_ED25519, "NN9PaonFYWEkmrOpnnYN9defS7cIYFWI5WECuprqCca9bqWTo0E8Rvt1JEhBTFqP",
                           "keys/ed25519.pem", "keys/ed25519.pub.pem", 0, "", NULL, NULL};
    c->docs_ed25519 = (gen_key){"docs-ed25519", GK_ED25519, "y4jg6siOYiJIiCd5QroY0RVwYOfHHLK4PxerRn6X5P0zVAZQxqwVJk12DyzcPuLt",
                                "keys/docs-ed25519.pem", "keys/docs-ed25519.pub.pem", 0, "", NULL, NULL};
    gen_key *all[] = {&c->hmac, &c->docs_hmac, &c->rsa2048, &c->rsa4096, &c->ed25519, &c->docs_ed25519};
    for (size_t i = 0; i < 6; i++) gen_key_load(all[i], vdir);
}

static void usage(FILE *f) {
    fprintf(f, "usage: bc-vectorgen OUTDIR [VECTORSDIR]\n"
               "Writes rest_*.json, ws_*.json, canonical_payload.json and timing.json to OUTDIR,\n"
               "reading the test keys from VECTORSDIR/keys (default %s/keys).\n"
               "Regenerate the committed vectors with: bc-vectorgen %s\n",
            BC_VECTORS_DIR, BC_VECTORS_DIR);
}

int main(int argc, char **argv) {
    if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
        usage(stdout);
        return 0;
    }
    for (int i = 1; i < argc; i++)
        if (argv[i][0] == '-') {
            fprintf(stderr, "bc-vectorgen: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        }
    if (argc < 2 || argc > 3) {
        usage(stderr);
        return 2;
    }
    gen_ctx c;
    memset(&c, 0, sizeof(c));
    c.out_dir = argv[1];
    gen_keys(&c, argc > 2 ? argv[2] : BC_VECTORS_DIR);
    gen_rest_file(&c, "rest_hmac_sha256.json", GK_HMAC);
    gen_rest_file(&c, "rest_rsa.json", GK_RSA);
    gen_rest_file(&c, "rest_ed25519.json", GK_ED25519);
    gen_ws_file(&c, "ws_hmac_sha256.json", GK_HMAC);
    gen_ws_file(&c, "ws_rsa.json", GK_RSA);
    gen_ws_file(&c, "ws_ed25519.json", GK_ED25519);
    gen_payload_file(&c);
    gen_timing_file(&c);
    gen_key *all[] = {&c.hmac, &c.docs_hmac, &c.rsa2048, &c.rsa4096, &c.ed25519, &c.docs_ed25519};
    for (size_t i = 0; i < 6; i++) gen_key_free(all[i]);
    return 0;
}
