build/src/ui/ui_users.o: src/ui/ui_users.c include/folio/account.h \
 include/folio/access.h include/folio/util.h include/folio/smem.h \
 src/ui/ui_internal.h
include/folio/account.h:
include/folio/access.h:
include/folio/util.h:
include/folio/smem.h:
src/ui/ui_internal.h:
