build/src/ui/ui_input.o: src/ui/ui_input.c include/folio/smem.h \
 src/ui/ui_internal.h include/folio/access.h include/folio/util.h
include/folio/smem.h:
src/ui/ui_internal.h:
include/folio/access.h:
include/folio/util.h:
