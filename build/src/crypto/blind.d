build/src/crypto/blind.o: src/crypto/blind.c include/folio/crypto.h \
 include/folio/util.h src/crypto/crypto_internal.h
include/folio/crypto.h:
include/folio/util.h:
src/crypto/crypto_internal.h:
