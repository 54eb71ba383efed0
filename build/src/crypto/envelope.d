build/src/crypto/envelope.o: src/crypto/envelope.c include/folio/crypto.h \
 include/folio/util.h src/crypto/crypto_internal.h
include/folio/crypto.h:
include/folio/util.h:
src/crypto/crypto_internal.h:
