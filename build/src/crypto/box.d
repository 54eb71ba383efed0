build/src/crypto/box.o: src/crypto/box.c src/crypto/crypto_internal.h \
 include/folio/crypto.h include/folio/util.h
src/crypto/crypto_internal.h:
include/folio/crypto.h:
include/folio/util.h:
