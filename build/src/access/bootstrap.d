build/src/access/bootstrap.o: src/access/bootstrap.c \
 src/access/access_internal.h include/folio/access.h include/folio/util.h \
 include/folio/crypto.h include/folio/store.h include/folio/account.h \
 include/folio/grant.h include/folio/smem.h
src/access/access_internal.h:
include/folio/access.h:
include/folio/util.h:
include/folio/crypto.h:
include/folio/store.h:
include/folio/account.h:
include/folio/grant.h:
include/folio/smem.h:
