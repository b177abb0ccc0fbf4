#!/bin/sh
# build-policy-repo.sh DEST
#
# Builds Acme Corp's policy git repository at DEST (which must not exist, or be an empty folder) from
# policy-history/ next to this script. The result is identical on every run: names, e-mails, dates and
# messages are fixed and the user's git configuration is ignored, so `git rev-parse HEAD` never changes.
# Needs /bin/sh (dash is fine) and git >= 2.32 (for GIT_CONFIG_GLOBAL); tested with git 2.39.
#
# policy-history/ holds one folder per change on main, applied in name order (NN-slug/):
#   commit.env     shell assignments, sourced:
#                    KIND=direct  one commit on main (plain commits and squash merges)
#                    KIND=merge   one commit on branch BRANCH, then `git merge --no-ff` into main, so the
#                                 merge commit has the branch commit as its second parent
#                    AUTHOR_NAME AUTHOR_EMAIL AUTHOR_DATE COMMITTER_NAME COMMITTER_EMAIL COMMITTER_DATE
#                                 of the (branch) commit; dates are RFC 3339
#                    merge only: BRANCH MERGE_AUTHOR_NAME MERGE_AUTHOR_EMAIL MERGE_COMMITTER_NAME
#                                 MERGE_COMMITTER_EMAIL MERGE_DATE (author and committer date of the merge)
#   message        the (branch) commit message, verbatim
#   merge-message  merge only: the merge commit message, verbatim
#   files/         files to write, relative to the repository root (whole new contents)
#   delete         optional: paths to remove, one per line
# generate.py writes policy-history/; edit the plan there, not the folders.

set -eu

usage() { echo "usage: $0 DEST   (DEST must not exist or be empty)" >&2; exit 2; }
[ $# -eq 1 ] || usage
DEST=$1
[ -n "$DEST" ] || usage

HERE=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
SRC=$HERE/policy-history
[ -d "$SRC" ] || { echo "error: $SRC not found" >&2; exit 1; }

if [ -e "$DEST" ]; then
    [ -d "$DEST" ] || { echo "error: $DEST exists and is not a folder" >&2; exit 1; }
    [ -z "$(ls -A -- "$DEST")" ] || { echo "error: $DEST is not empty" >&2; exit 1; }
fi
mkdir -p -- "$DEST"
DEST=$(CDPATH= cd -- "$DEST" && pwd)

# Ignore every configuration file (hooks, templates, signing, autocrlf, default branch ...).
GIT_CONFIG_NOSYSTEM=1
GIT_CONFIG_GLOBAL=/dev/null
GIT_TEMPLATE_DIR=
GIT_MERGE_AUTOEDIT=no
TZ=UTC
LC_ALL=C
export GIT_CONFIG_NOSYSTEM GIT_CONFIG_GLOBAL GIT_TEMPLATE_DIR GIT_MERGE_AUTOEDIT TZ LC_ALL
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL \
      GIT_AUTHOR_DATE GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_COMMITTER_DATE 2>/dev/null || true

g() {
    git -C "$DEST" -c user.useConfigOnly=false -c commit.gpgsign=false -c tag.gpgsign=false \
        -c core.hooksPath=/dev/null -c core.autocrlf=false -c core.fileMode=true "$@"
}

# Writes files/ and applies delete for the folder in $1, then stages everything.
apply_change() {
    if [ -d "$1/files" ]; then
        cp -R -- "$1/files/." "$DEST/"
    fi
    if [ -f "$1/delete" ]; then
        while IFS= read -r path; do
            [ -n "$path" ] && g rm -q -- "$path"
        done < "$1/delete"
    fi
    g add -A
}

# commit NAME EMAIL DATE CNAME CEMAIL CDATE MESSAGE_FILE
commit() {
    GIT_AUTHOR_NAME=$1 GIT_AUTHOR_EMAIL=$2 GIT_AUTHOR_DATE=$3 \
    GIT_COMMITTER_NAME=$4 GIT_COMMITTER_EMAIL=$5 GIT_COMMITTER_DATE=$6 \
        g commit -q --no-verify --cleanup=verbatim -F "$7"
}

git init -q -b main "$DEST"

for dir in "$SRC"/[0-9][0-9]-*/; do
    dir=${dir%/}
    (
        KIND= BRANCH=
        . "$dir/commit.env"
        case $KIND in
        direct)
            apply_change "$dir"
            commit "$AUTHOR_NAME" "$AUTHOR_EMAIL" "$AUTHOR_DATE" \
                   "$COMMITTER_NAME" "$COMMITTER_EMAIL" "$COMMITTER_DATE" "$dir/message"
            ;;
        merge)
            g checkout -q -b "$BRANCH" main
            apply_change "$dir"
            commit "$AUTHOR_NAME" "$AUTHOR_EMAIL" "$AUTHOR_DATE" \
                   "$COMMITTER_NAME" "$COMMITTER_EMAIL" "$COMMITTER_DATE" "$dir/message"
            g checkout -q main
            GIT_AUTHOR_NAME=$MERGE_AUTHOR_NAME GIT_AUTHOR_EMAIL=$MERGE_AUTHOR_EMAIL GIT_AUTHOR_DATE=$MERGE_DATE \
            GIT_COMMITTER_NAME=$MERGE_COMMITTER_NAME GIT_COMMITTER_EMAIL=$MERGE_COMMITTER_EMAIL \
            GIT_COMMITTER_DATE=$MERGE_DATE \
                g merge -q --no-ff --no-verify --cleanup=verbatim -F "$dir/merge-message" "$BRANCH"
            g branch -q -d "$BRANCH"
            ;;
        *)
            echo "error: $dir/commit.env: KIND must be direct or merge, not '$KIND'" >&2
            exit 1
            ;;
        esac
    )
done

echo "$DEST: $(g rev-list --count main) commits, HEAD $(g rev-parse HEAD)"
