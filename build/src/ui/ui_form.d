build/src/ui/ui_form.o: src/ui/ui_form.c src/ui/ui_internal.h \
 include/folio/access.h include/folio/util.h
src/ui/ui_internal.h:
include/folio/access.h:
include/folio/util.h:
