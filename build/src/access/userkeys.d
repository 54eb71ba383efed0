build/src/access/userkeys.o: src/access/userkeys.c \
 src/access/access_internal.h include/folio/access.h include/folio/util.h \
 include/folio/crypto.h include/folio/store.h
src/access/access_internal.h:
include/folio/access.h:
include/folio/util.h:
include/folio/crypto.h:
include/folio/store.h:
