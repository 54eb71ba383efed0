build/src/ui/ui_login.o: src/ui/ui_login.c include/folio/account.h \
 include/folio/access.h include/folio/util.h include/folio/smem.h \
 src/ui/ui_internal.h
include/folio/account.h:
include/folio/access.h:
include/folio/util.h:
include/folio/smem.h:
src/ui/ui_internal.h:
