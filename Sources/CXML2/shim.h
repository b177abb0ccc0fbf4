#ifndef CXML2_SHIM_H
#define CXML2_SHIM_H
/* libxml2's ICU types clash with Foundation's ICU in a clean debug build. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>
#include <libxml/xpath.h>
#endif
