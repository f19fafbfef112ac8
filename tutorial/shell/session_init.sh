# Sourced by cncf-adventure into the bash session that runs a journey's steps.
# Everything here is prefixed __adv_ so it never collides with what a tutorial defines.
# The reader's own startup files are not read: a journey must run the same for everyone.

PS1='' PS2='' PS4='+ '
set +o history
set +H                       # "!" in a command is just a character
shopt -s expand_aliases      # an alias defined in one step works in the next
HISTFILE=/dev/null

# Run before each step: arm the trap that stops the step at its first failing command (as a
# script with errexit would) without leaving the session. $3 = 1: the command only looks (one
# of cncf-adventure's own questions), so the snapshot of the shell is still right afterwards;
# $3 = 2: all the step can change is the variables it reports (see __adv_write_delta).
# $4 = 1: nothing in the step's text can make bash abandon a command (see __adv_debug).
# The other arguments name the variables to report with the step's end (see __adv_ready).
__adv_begin() {
    __adv_file=$1
    __adv_ln=0
    __adv_errexit=0
    # only when some step has used `trap` ($2 = 1) can there be a trap of the reader's to put back
    __adv_traps=${2-0}
    __adv_unchanged=${3-0}
    __adv_report=("${@:5}")
    # the watch for abandoned commands costs more than a one-line step itself: it is left off
    # when neither the step's text nor the shell can make bash drop a command (`set -u`, `shopt
    # -s failglob` or POSIX mode on, a function or an alias of the reader's, which could turn
    # them on, a variable the step assigns that is read-only, an integer or a reference)
    __adv_watching=1
    if [[ ${4-0} == 1 && $- != *u* && :$BASHOPTS: != *:failglob:* && :$SHELLOPTS: != *:posix:* &&
        $__adv_functions == 0 ]] && (( ${#BASH_ALIASES[@]} == 0 )); then
        __adv_watching=0
        local __adv_n
        for __adv_n in "${__adv_report[@]}"; do
            if [[ ${!__adv_n@a} == *[ri]* || -R $__adv_n ]]; then
                __adv_watching=1
                break
            fi
        done
    fi
    case $- in *E*) __adv_had_E=1 ;; *) __adv_had_E=0 ;; esac
    __adv_aborted=0
    __adv_prev=
    __adv_prev_ln=0
    case $- in *T*) __adv_had_T=1 ;; *) __adv_had_T=0 ;; esac
    set -ET  # -T: the DEBUG trap reaches into the sourced step (see __adv_debug)
    trap '__adv_trap $? "$LINENO" && return "$__adv_status"' ERR
    [[ -z $__adv_nonce ]] || builtin printf '\033]777;%s;begin\007' "$__adv_nonce"
}

# ERR trap body: succeeds (so the trap returns) when the failure is in the step's file or in a
# function, which ends the function and then the step. Subshells are left to finish, as a
# script's command substitutions are. The line is recorded when the failure is in the step's
# own file; the outermost such failure (the call site) wins.
__adv_trap() {
    __adv_status=$1
    (( BASH_SUBSHELL == 0 && ${#FUNCNAME[@]} > 1 )) || return 1
    if [[ ${BASH_SOURCE[1]-} == "$__adv_file" ]]; then
        __adv_ln=$2
    fi
    if [[ $- == *e* ]]; then   # the reader's `set -e` must not end the session
        __adv_errexit=1
        set +e
    fi
    return 0
}

# The DEBUG trap, set on the line that runs a step (a function cannot set it for its caller),
# unless __adv_begin found it needless (__adv_watching=0).
__adv_watch='__adv_debug "$?" "$_" "$LINENO" && return 1; : __adv_sentinel'

# DEBUG trap body, before each command of the step's file: finds the command the shell
# abandoned. An interactive bash does not stop at an unset variable under `set -u` or at
# `${NAME:?}`: it drops that command (status 1, no ERR trap) and goes on with the next one,
# where a script would have stopped. Such a command never ran, so `$_` still holds what the
# previous run of this trap left in it, which no command that ran leaves behind ([[ and ((
# set no `$_`, and are told apart by their text). Succeeds when the step must stop.
__adv_debug() {
    [[ ${BASH_SOURCE[1]-} == "$__adv_file" && $BASH_SUBSHELL == 0 ]] || return 1
    if [[ $1 != 0 && $2 == __adv_sentinel ]]; then
        case $__adv_prev in
            '[['* | '(('* | 'for '* | 'case '* | 'select '* | '') ;;
            *)
                __adv_ln=$__adv_prev_ln
                __adv_aborted=1
                return 0
                ;;
        esac
    fi
    __adv_prev=$BASH_COMMAND
    __adv_prev_ln=$3
    return 1
}

# PROMPT_COMMAND: runs whenever bash is ready for the next command line, however the last
# one ended (finished, failed, interrupted). Restores the reader's trap and options and
# reports the status to cncf-adventure with a private escape sequence.
__adv_ready() {
    local status=$__adv_last
    if [[ -n ${__adv_file-} ]]; then
        if [[ ${__adv_traps-0} == 1 ]]; then
            # PROMPT_COMMAND wrote the ERR trap as the step left it (a function cannot see
            # it). If it is not ours, the step set (or removed) the reader's trap.
            local current=
            IFS= builtin read -r -d '' current < "$__adv_snapshot.trap" || :
            [[ $current == *__adv_trap* ]] || __adv_saved_trap=$current
        fi
        trap - ERR DEBUG
        [[ -n $__adv_saved_trap ]] && eval "$__adv_saved_trap"
        [[ $__adv_had_E == 1 ]] || set +E
        [[ $__adv_had_T == 1 ]] || set +T
        [[ $__adv_errexit == 1 ]] && set -e
        __adv_file=
    fi
    (( __adv_loading )) && __adv_take_loaded  # (before the snapshot below: it never holds them)
    __adv_step_names=("${__adv_report[@]}")
    (( ${#__adv_report[@]} || __adv_loading )) && __adv_tell_values
    builtin printf '\033]777;%s;ready;%s;%s;%s\007' "$__adv_nonce" "$status" "${__adv_ln:-0}" "${__adv_aborted:-0}"
    __adv_ln=0 __adv_aborted=0
    # Remember what the shell looks like now, so it can be rebuilt if the next step exits or
    # kills it. Written after reporting: cncf-adventure goes on while bash writes it, and
    # bash finishes it before it reads the next step. A question that only looked changed
    # nothing the snapshot holds; a step that could only set the variables it reported adds
    # them to what was written since the last whole snapshot.
    if [[ -n ${__adv_snapshot-} ]]; then
        case ${__adv_unchanged-0} in
            1) ;;
            2) __adv_write_delta || __adv_write_snapshot ;;
            *) __adv_write_snapshot ;;
        esac
    fi
    __adv_unchanged=0
}

# A step that loads a secret manager's output into the shell (`eval $(teller env)`) sets
# variables that nothing in its text names: cncf-adventure runs __adv_before_load before it,
# which keeps every variable's value, and at the step's end __adv_take_loaded finds those the
# step added or changed. They hold secrets: they join the holders at once, so that the
# snapshot written at this very prompt leaves them out, and are reported with the step's end
# (see __adv_ready), names and values. Only such a step pays for the look at every variable.
__adv_loading=0
__adv_loaded=()
declare -A __adv_before=()
__adv_before_load() {
    local - __adv_names __adv_n  # (`local -`: the reader's `set -x` is back on at the return)
    set +x  # a trace would show the values
    __adv_loading=1
    __adv_before=()
    __adv_variable_names
    for __adv_n in "${__adv_names[@]}"; do
        __adv_loadable "$__adv_n" && __adv_before[$__adv_n]=${!__adv_n-}
    done
    return 0  # (never a failure: the reader's `set -e` would end the shell)
}
__adv_take_loaded() {
    local - __adv_names __adv_n __adv_v
    set +x
    __adv_variable_names
    __adv_loaded=()
    for __adv_n in "${__adv_names[@]}"; do
        __adv_loadable "$__adv_n" && [[ -v $__adv_n ]] || continue
        if [[ ! -v "__adv_before[$__adv_n]" || ${__adv_before[$__adv_n]} != "${!__adv_n-}" ]]; then
            __adv_loaded+=("$__adv_n")
        fi
    done
    __adv_before=()  # (the values before the step: the snapshot has no use for them)
    __adv_holders+=("${__adv_loaded[@]}")
    for __adv_n in "${__adv_loaded[@]}"; do  # their values too: an alias the step made of one holds it
        __adv_v=${!__adv_n-}
        (( ${#__adv_v} < 3 )) || __adv_forms+=("$__adv_v")  # (a shorter one is masked nowhere either)
    done
    __adv_report+=("${__adv_loaded[@]}")
    return 0
}
# Could a step's loading have set this variable? Not bash's own, ours, nor the prompt hook's locals.
__adv_loadable() {
    case $1 in
        __adv_* | BASH* | FUNCNAME | LINENO | RANDOM | SRANDOM | SECONDS | EPOCHREALTIME | EPOCHSECONDS | \
            _ | PIPESTATUS | HISTCMD | COLUMNS | LINES | PWD | OLDPWD | DIRSTACK | GROUPS | PPID | \
            SHLVL | status | current) return 1 ;;
    esac
    return 0
}

# The values of the variables the step assigned, with its end: no second question. A trace
# (the reader's `set -x`) is off from before the first byte, which would be read as a name.
__adv_tell_values() {
    local - __adv_n IFS=' '  # (the names of those loaded are joined with a space, whatever the reader's IFS)
    set +x
    builtin printf '\033]777;%s;values\007' "$__adv_nonce"
    for __adv_n in "${__adv_report[@]}"; do
        [[ -v $__adv_n ]] && builtin printf '%s\0%s\0' "$__adv_n" "${!__adv_n}"
    done
    # the names of those the step loaded from a secret manager, as one more pair
    (( __adv_loading )) && builtin printf '%s\0%s\0' __adv_loaded "${__adv_loaded[*]}"
    (( __adv_loading )) && __adv_tell_items
    __adv_report=() __adv_loaded=() __adv_loading=0
    return 0
}

# Every element of each array a step loaded (`mapfile -t KEYS < <(sops -d keys)`): ${!NAME}
# is its first one only, and the others are secrets as much. One pair each, named
# __adv_item_NAME_INDEX, to be masked.
__adv_tell_items() {
    local - __adv_n __adv_v __adv_i
    set +x
    for __adv_n in "${__adv_loaded[@]}"; do
        [[ ${!__adv_n@a} == *[aA]* ]] || continue
        local -n __adv_ref=$__adv_n
        __adv_i=0
        for __adv_v in "${__adv_ref[@]}"; do
            builtin printf '__adv_item_%s_%s\0%s\0' "$__adv_n" "$__adv_i" "$__adv_v"
            (( __adv_i += 1 ))
        done
        unset -n __adv_ref
    done
    return 0
}

# After a step that could change nothing but the variables it set (cncf-adventure says so,
# from its text: programs, `echo`, `export NAME=value`...), the whole snapshot is still right
# but for those variables: they alone are appended, as a block of their own, to the file next
# to it ($__adv_snapshot.delta), which a new shell reads after it (snapshot.with_delta: the
# blocks of that snapshot, in order, the later ones winning). Listing every variable
# (`declare -p`, `compgen -v`) costs bash time that grows with the square of their number, and
# even the names set since the last whole snapshot cost time at each step: a step pays only
# for its own. Fails (and the whole snapshot is written) when the answer may be wrong or the
# delta unsafe: a function or an alias of the reader's could be what the step called; a
# variable it set holds, or is named like, a secret, or refers to another (declare -n); no
# whole snapshot to add to; too many names (256) or blocks (256) piled up. The file is emptied (a cost on
# ext4, see __adv_state) only at the first block after a whole snapshot, once enough blocks
# of older ones are in it, and at this shell's first block (the blocks of the shell before it
# are of no use once this one has a whole snapshot, and all there is to rebuild from until then).
__adv_based_on=
declare -A __adv_delta_seen=()
__adv_delta_names=0
__adv_delta_count=0
__adv_delta_blocks=257  # (as many as empty the file: it may hold the blocks of the shell before)
__adv_step_names=()
__adv_write_delta() {
    # (functions are defined, and aliases made, only by steps that write the whole state: the
    # look at them that the last whole snapshot took still holds)
    [[ -n $__adv_based_on && $__adv_functions == 0 ]] || return 1
    (( ${#BASH_ALIASES[@]} == 0 && __adv_delta_count < 256 )) || return 1
    (( ${#__adv_step_names[@]} )) || return 0  # nothing set: what is written holds
    local __adv_n __adv_s __adv_v __adv_new=0
    for __adv_n in "${__adv_step_names[@]}"; do
        __adv_secret_name "$__adv_n" && return 1
        [[ -R $__adv_n ]] && return 1  # a name that refers to another variable: that one changed
        [[ ${!__adv_n@a} == *i* ]] && return 1  # an integer's value is arithmetic: `N=i++` sets i too
        for __adv_s in "${__adv_holders[@]}"; do
            [[ $__adv_n == "$__adv_s" ]] && return 1
        done
        if (( ${#__adv_forms[@]} )); then
            declare -n __adv_ref=$__adv_n 2>/dev/null || return 1
            __adv_v="${__adv_ref[*]-}"
            unset -n __adv_ref
            for __adv_s in "${__adv_forms[@]}"; do
                [[ $__adv_v == *"$__adv_s"* ]] && return 1
            done
        fi
        [[ -v __adv_delta_seen[$__adv_n] ]] || (( __adv_new += 1 ))
    done
    (( __adv_delta_names + __adv_new <= 256 )) || return 1
    for __adv_n in "${__adv_step_names[@]}"; do
        __adv_delta_seen[$__adv_n]=1
    done
    (( __adv_delta_names += __adv_new, __adv_delta_count += 1, __adv_delta_blocks += 1 ))
    if (( __adv_delta_count == 1 && __adv_delta_blocks > 256 )); then
        : > "$__adv_snapshot.delta"
        __adv_delta_blocks=1
    fi
    {
        builtin printf '# -- delta %s %s --\n' "$__adv_based_on" "$__adv_delta_count"
        builtin declare -p "${__adv_step_names[@]}" 2>/dev/null || :  # (one the step did not set after all)
        builtin printf '# -- end of delta %s %s --\n' "$__adv_based_on" "$__adv_delta_count"
    } >> "$__adv_snapshot.delta"
    return 0
}

# Everything a new shell needs to look like this one. The variables are written as bash
# prints them, bash's own included; cncf-adventure leaves those out before a new shell reads
# the file (restoring BASH_SUBSHELL or FUNCNAME would break it). Kept to builtins: it runs at
# every prompt. The file is written over in place (<>), never emptied first: on ext4 a file
# emptied and written again is sent to the disk when closed, and the next emptying waits for
# that (milliseconds at every prompt). So what is left of a longer, older snapshot may follow
# the end line; the first and last lines carry the shell's number and the snapshot's, and
# tell where this one ends (snapshot.py). (On fd 9 and then 1: `declare -f` prints `1<>` as
# `<>`, which is standard input, and a shell rebuilt from the snapshot would read from it.)
# Our own functions come with every new shell (this file): they are written only along
# with some of the reader's, as `declare -f` writes them all. The options are written as
# `shopt -p` and `set +o` wrote them when they last changed ($BASHOPTS and $SHELLOPTS name
# every option that is on): bash writes each line of theirs with a system call of its own.
__adv_generation=0
__adv_options_for=
__adv_options=
__adv_state() {
    builtin printf '# -- snapshot %s-%s --\n' "$$" "$__adv_generation"
    builtin declare -p
    builtin printf '%s\n' '# -- functions, aliases, options, directory --'
    (( __adv_functions )) && builtin declare -f
    builtin alias -p
    if [[ -z ${__adv_snapshot-} ]]; then
        builtin shopt -p
        builtin set +o
    else
        if [[ $__adv_options_for != "$BASHOPTS/$SHELLOPTS" ]]; then
            { builtin shopt -p; builtin set +o; builtin printf '\0'; } 8<> "$__adv_snapshot.options" >&8
            IFS= builtin read -r -d '' __adv_options < "$__adv_snapshot.options"
            __adv_options_for=$BASHOPTS/$SHELLOPTS
        fi
        builtin printf '%s' "$__adv_options"
    fi
    builtin printf 'builtin cd -- %q\n' "$PWD"
    builtin printf '# -- end of snapshot %s-%s --\n' "$$" "$__adv_generation"
}

# The snapshot is on disk, and secrets never are. cncf-adventure tells the shell, through its
# input, which variables hold secrets (__adv_holders) and every form of every secret
# (__adv_forms: the value, its base64, hex, upper and lower case). The snapshot is then
# written from a subshell in which the variables named like a secret, those that hold one,
# and every variable, alias or function whose text contains a form, have been unset.
# cncf-adventure gives the secrets to a restarted shell again itself. The functions that
# judge names (__adv_secret_name, __adv_secret_names_in_use, __adv_unset_secret_names) are
# appended to this file by cncf-adventure, from the words that make a name a secret's.
# Nothing here forks, or depends on the reader's IFS, unless there is a secret to leave out.
__adv_holders=()
__adv_forms=()
__adv_write_snapshot() {
    local __adv_target=${1:-$__adv_snapshot}
    (( __adv_generation += 1 ))
    if builtin compgen -A function -X '__adv_*' >/dev/null; then __adv_functions=1; else __adv_functions=0; fi
    if [[ $__adv_target == "$__adv_snapshot" ]]; then  # what a delta adds to from now on
        __adv_based_on=$$-$__adv_generation
        __adv_delta_names=0
        __adv_delta_count=0
        __adv_delta_seen=()
    fi
    if (( ${#__adv_holders[@]} + ${#__adv_forms[@]} == 0 )) && ! __adv_secret_names_in_use; then
        __adv_state 9<> "$__adv_target" >&9 2>/dev/null
        return 0
    fi
    (
        for __adv_n in "${__adv_holders[@]}"; do
            unset "$__adv_n" 2>/dev/null
        done
        __adv_secret_names_in_use && __adv_unset_secret_names
        # the forms move to the positional parameters, which the snapshot does not show
        set -- "${__adv_forms[@]}"
        unset __adv_forms __adv_holders __adv_n
        (( $# )) && __adv_unset_holding "$@"
        set --  # (with extdebug, BASH_ARGV would show them)
        __adv_state
    ) 9<> "$__adv_target" >&9 2>/dev/null
    return 0
}

# Unset every variable, alias and function whose text contains one of "$@". One look at
# all of them first, in one fork: most of the time nothing holds a form, and that is all.
__adv_unset_holding() {
    local __adv_n __adv_s __adv_v __adv_names __adv_hit=0
    local __adv_all
    __adv_all=$(builtin declare -p; builtin declare -f; builtin alias -p)
    for __adv_s; do
        # declare -p and alias -p quote what they print: a form with quotes or backslashes
        # (or any other character they may escape) is looked for item by item
        if [[ $__adv_all == *"$__adv_s"* || $__adv_s == *[!A-Za-z0-9_.,:@%+=/~^#*-]* ]]; then
            __adv_hit=1
            break
        fi
    done
    __adv_all=
    (( __adv_hit )) || return 0
    for __adv_n in "${!BASH_ALIASES[@]}"; do
        for __adv_s; do
            if [[ ${BASH_ALIASES[$__adv_n]} == *"$__adv_s"* ]]; then
                unalias "$__adv_n" 2>/dev/null
                break
            fi
        done
    done
    __adv_v=$(builtin declare -f)
    for __adv_s; do
        [[ $__adv_v == *"$__adv_s"* ]] || continue
        builtin mapfile -t __adv_names < <(compgen -A function)
        for __adv_n in "${__adv_names[@]}"; do
            __adv_v=$(builtin declare -f "$__adv_n")
            for __adv_s; do
                if [[ $__adv_v == *"$__adv_s"* ]]; then
                    unset -f "$__adv_n"
                    break
                fi
            done
        done
        break
    done
    __adv_variable_names  # (all but PWD, which may hold a form too: a folder named after a token)
    for __adv_n in "${__adv_names[@]}" PWD; do
        case $__adv_n in __adv_n | __adv_s | __adv_v | __adv_names | __adv_hit | __adv_all) continue ;; esac
        declare -n __adv_ref=$__adv_n 2>/dev/null || continue
        __adv_v="${__adv_ref[*]-}"
        unset -n __adv_ref
        for __adv_s; do
            if [[ $__adv_v == *"$__adv_s"* ]]; then
                unset "$__adv_n" 2>/dev/null
                break
            fi
        done
    done
}
__adv_saved_trap=
__adv_report=()
__adv_functions=1  # has the reader functions of their own? (1 until the first look, see __adv_write_snapshot)
__adv_watching=1
__adv_unchanged=0
# The step's status is $?, or what the line that ran it kept before it removed the DEBUG trap
# (__adv_rc: a line cut short, by Ctrl+C or an error bash gives up on, keeps nothing).
__adv_rc=
PROMPT_COMMAND='__adv_last=${__adv_rc:-$?}; __adv_rc=; [[ ${__adv_traps-0} == 1 ]] && builtin trap -p ERR > "$__adv_snapshot.trap"; __adv_ready'
