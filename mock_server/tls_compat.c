/* tls_compat: lets Debian's civetweb 1.15 serve TLS with OpenSSL 3.
 * That build loads libssl at run time (dlopen "libssl.so" + dlsym of an
 * OpenSSL 1.1 function table) and calls SSL_get_peer_certificate on every
 * TLS connection; OpenSSL 3 renamed it SSL_get1_peer_certificate, so the
 * pointer is NULL and the worker crashes after the handshake. Fix: answer
 * civetweb's dlopen of libssl/libcrypto with the main program's handle
 * (whose global scope holds the linked libssl.so.3/libcrypto.so.3) and
 * export SSL_get_peer_certificate from the executable (CMake adds
 * --export-dynamic-symbol). Everything else is forwarded to the real dlopen. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <string.h>
#include <openssl/ssl.h>

#undef SSL_get_peer_certificate
X509 *SSL_get_peer_certificate(const SSL *s);

X509 *SSL_get_peer_certificate(const SSL *s)
{
    return SSL_get1_peer_certificate(s);   /* same reference semantics as 1.1 */
}

void *dlopen(const char *file, int flags)
{
    void *(*real)(const char *, int) = (void *(*)(const char *, int))dlsym(RTLD_NEXT, "dlopen");
    if (file && (!strcmp(file, "libssl.so") || !strcmp(file, "libcrypto.so")))
        file = NULL;
    return real ? real(file, flags) : NULL;
}

/* Referenced by srv.c so this object is always linked in. */
int tls_compat_active(void)
{
    return 1;
}
