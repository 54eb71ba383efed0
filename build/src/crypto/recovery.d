build/src/crypto/recovery.o: src/crypto/recovery.c include/folio/crypto.h \
 include/folio/util.h
include/folio/crypto.h:
include/folio/util.h:
