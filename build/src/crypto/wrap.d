build/src/crypto/wrap.o: src/crypto/wrap.c include/folio/crypto.h \
 include/folio/util.h src/crypto/crypto_internal.h
include/folio/crypto.h:
include/folio/util.h:
src/crypto/crypto_internal.h:
