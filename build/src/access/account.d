build/src/access/account.o: src/access/account.c include/folio/account.h \
 include/folio/access.h include/folio/util.h src/access/access_internal.h \
 include/folio/crypto.h include/folio/store.h include/folio/grant.h
include/folio/account.h:
include/folio/access.h:
include/folio/util.h:
src/access/access_internal.h:
include/folio/crypto.h:
include/folio/store.h:
include/folio/grant.h:
