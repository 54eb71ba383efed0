build/src/crypto/keyring.o: src/crypto/keyring.c include/folio/crypto.h \
 include/folio/util.h src/crypto/crypto_internal.h
include/folio/crypto.h:
include/folio/util.h:
src/crypto/crypto_internal.h:
