build/src/util/smem.o: src/util/smem.c include/folio/smem.h
include/folio/smem.h:
