build/src/cli/cmd_admin.o: src/cli/cmd_admin.c src/cli/cli_internal.h \
 include/folio/access.h include/folio/util.h include/folio/account.h \
 include/folio/config.h include/folio/demo.h include/folio/smem.h
src/cli/cli_internal.h:
include/folio/access.h:
include/folio/util.h:
include/folio/account.h:
include/folio/config.h:
include/folio/demo.h:
include/folio/smem.h:
