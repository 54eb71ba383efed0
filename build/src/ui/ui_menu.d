build/src/ui/ui_menu.o: src/ui/ui_menu.c src/ui/ui_internal.h \
 include/folio/access.h include/folio/util.h
src/ui/ui_internal.h:
include/folio/access.h:
include/folio/util.h:
