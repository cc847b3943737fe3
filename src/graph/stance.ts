/**
 * Stance rules: each own-text paragraph and trailer gets one stance from transparent, ordered
 * rules. The first rule that fires decides, and its id (plus the cue that matched) is stored in
 * `claims.stance_reason`. docs/graph.md lists every rule with a real example; the precision and
 * recall of the rules on the hand-labelled set are in docs/stance-evaluation.md.
 *
 * Stance is relative to what the paragraph replies to (the quote just above it, or the message it
 * answers), as the gold labels define it (docs/labelling.md, "Conventions used when deciding").
 * The rules use three kinds of evidence:
 *  - structure: trailers, patch postings vs. replies, greetings and sign-offs, change logs;
 *  - cue phrases: "I really do not want", "Nack", "I am fine with", "Wait how did you reach",
 *    "how about", "fair enough", question marks, …;
 *  - roles: whether the writer is the author of the proposal under discussion, whether the quote
 *    above asked a question, and whether the quote above answered the writer's own words.
 */

/** The stance vocabulary of the gold labels (docs/labelling.md). */
export const STANCES = [
  'proposes',
  'proposes-alternative',
  'objects-to',
  'supports',
  'asks',
  'answers',
  'concedes',
  'acks',
  'nacks',
  'neutral',
] as const;
export type Stance = (typeof STANCES)[number];

/** Stances that count as an objection (the lifecycle decides how each ended). */
export const OBJECTION_STANCES = ['objects-to', 'nacks', 'proposes-alternative'] as const;

/** What the rules may look at for one paragraph or trailer. */
export interface StanceInput {
  /** The paragraph's text as written (line breaks kept). */
  text: string;
  /** `para` for own-text paragraphs, `changelog` for change-log paragraphs, `trailer` for one trailer line. */
  kind: 'para' | 'changelog' | 'trailer';
  /** The message is a posting (patch, cover letter, or a thread's opening message), not a reply. */
  inPosting: boolean;
  /** The writer is an author of the proposal under discussion (its poster or a Signed-off-by). */
  writerIsProposer: boolean;
  /** The depth-1 quote this paragraph answers (markers stripped), or null (no quote in the message). */
  quote: string | null;
  /** The paragraph comes right after a quote (not after another own paragraph). */
  directlyUnderQuote: boolean;
  /** The quote block above also holds the writer's own earlier words (depth 2): the quote answered them. */
  quoteAnswersWriter: boolean;
  /** The text that follows this paragraph in the message, up to the next quote (for "…:" lead-ins). */
  nextLine: string | null;
  /** Stance of the previous paragraph when it belongs to the same answer (no quote in between), else null. */
  previous: Stance | null;
  /** Stances (as the rules decided them) of the claims the quote above reproduces. */
  quotedStances: Stance[];
}

/** The rules' verdict. */
export interface StanceResult {
  stance: Stance;
  /** Rule id, then the matched cue when there is one: `obj.cue: "I do not think"`. */
  reason: string;
  /** How much the rule is worth, from its measured precision class (see docs/graph.md). */
  confidence: number;
}

interface Cue {
  re: RegExp;
}

/** Find the first cue of a list in a text; returns the matched words. */
function find(cues: RegExp[], text: string): string | null {
  for (const re of cues) {
    const m = re.exec(text);
    if (m) return m[0].trim();
  }
  return null;
}

// ---- cue lists (case-insensitive, matched on whitespace-collapsed text) ----

const GREETING = /^(?:hi|hello|hey|dear|greetings|hallo)\b[^.?!]{0,40}[,.!:]?$/i;
const SIGNOFF =
  /^(?:thanks|thank you|thx|many thanks|cheers|regards|best regards|kind regards|best|br|ta|sincerely|ok,? thanks)\b[^?]{0,40}$/i;
const THANKS_LEAD = /^(?:thanks|thank you|many thanks|great, thank|ok, thanks)\b/i;
const APOLOGY =
  /^(?:sorry|apologies|i apologi[sz]e)\b.{0,60}\b(?:late|delay|delayed|slow|travel(?:l?ing)?|vacation|away|off|busy|missed (?:this|your))/i;
const CC_NOTE = /^(?:\+\s*[A-Za-z]|cc(?:'?ing|:)?\s+[A-Z]|adding\s+[A-Z]|\+cc\b|also cc)/i;
const LINK_ONLY = /^(?:(?:\[\d+\]\s*)?(?:https?:\/\/\S+|<https?:\/\/\S+>)\s*)+$/i;
// Name and address parts cannot overlap (no `<` in the name, no `@` in the local part): with `.*<`
// and `[^>]+@` a hostile "From: <@<@<@…" paragraph backtracked cubically (10 KB took 40 s).
const INBODY_FROM = /^From:\s[^<>]*<[^<>@\s]+@[^<>\s]+>$/;
/** A maintainer's note in a patch: "[akpm@linux-foundation.org: fix typo]". */
const BRACKET_NOTE = /^\[[^\]\s@:]+@[^\]\s@:]+:[^\]]*\]$/; // parts cannot overlap: linear on hostile input
/** A short editorial note in brackets: "[snip code pointers]", "[Sorry I was offline]". */
const BRACKET_ASIDE = /^\[[^\][]{1,60}\]$/;
/**
 * Trailer lines quoted inside prose (tab-indented, so not the message's own trailers). The local
 * part of the address excludes `@` so that a hostile "<@@@…" paragraph cannot make the match
 * quadratic (it took 1.1 s for 40k characters when it could split at any `@`).
 */
const TRAILER_LINES = /^(?:[A-Z][a-z]+(?:-[a-z]+)*-by: [^<>]{1,60}<[^>\s@]+@[^>\s]+>\s*)+$/;
/** Credits and thanks inside a posting ("This patch expands on earlier work by … Thanks!"). */
const CREDIT =
  /\b(?:thanks|thank you|earlier work by|based on (?:work|a patch|an earlier patch) by|credits? (?:to|go)|inspired by)\b/i;
const NAME_ONLY = /^(?:-+\s*)?[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,2}$/;
/** One-word replies that look like a bare name but are answers. */
const NOT_A_NAME =
  /^(?:ok|okay|yes|yeah|yep|no|nope|agreed|sure|right|thanks|indeed|correct|exactly|true|false|done|nack|ack|why|great|good|fine|hmm+|oops)\b/i;
const EMOTICON_ONLY = /^[\s^_:;)(=DPp.-]{1,8}$/;

/** Discourse about the message itself ("Some thoughts and comments below.", "To summarize for next version:"). */
const META =
  /^(?:some (?:thoughts|comments|notes)|(?:please )?let me know if|see (?:below|inline)|comments? (?:below|inline)|more (?:on that )?(?:below|later)|to summari[sz]e|in summary|let's start|for illustration|for (?:example|reference),? (?:see|here)|I (?:can|will) send (?:the|a) (?:patch|v\d))/i;
const NACK = /\b(?:nack(?:ed)?(?:-by)?|NAK)\b/i;
const NEGATED_NACK = /\b(?:not|n't|no)\b[^.]{0,20}\bnack/i;

const ACK_OFFER = [
  /\b(?:feel free to add|you can add|please add|you may add|you can have|with that(?: fixed| addressed| changed)?,?\s+(?:feel free to add|you can add))\s+(?:my\s+)?(?:ack|acked-by|reviewed-by|r-b|rb|tested-by)\b/i,
];

/** The writer gives up (part of) a position: needs the writer's own position to be at stake (see the rule). */
const CONCEDE = [
  /\byou(?:'re| are) (?:absolutely |completely |totally )?right\b/i,
  /\bI stand corrected\b/i,
  /\bmy (?:bad|mistake)\b/i,
  /\bI was wrong\b/i,
  /\bI (?:must have |have )?missed\b/i,
  /\bpoint taken\b/i,
  /\bfair enough\b/i,
  /\bfair point\b/i,
  /\bgood (?:point|catch)\b/i,
  /\bI understand (?:your|the) (?:point|concern)/i,
  /\bI (?:see|get) (?:your|the) point\b/i,
  /\bI apologi[sz]e if\b/i,
  /\bwasn[’']t obvious to me\b|\bwasn't clear to me\b/i,
  /\bno objections?\b/i,
  /\b(?:will|I'll|I will) (?:do|fix|add|change|update|remove|drop|rework|document|address|incorporate|rename|split|send|include|move|make|resend|respin|switch|use|post|submit|prepare)\b[^.]{0,80}\b(?:next (?:version|revision|iteration|spin|post)|(?:a |an )?(?:new|updated) (?:version|revision|patch|series)|v\d+|the changelog|commit (?:message|log)|as suggested)\b/i,
  /\b(?:I|we) (?:sure |surely |certainly |definitely )?can\b[^.]{0,40}\bnext (?:version|revision|iteration|spin)\b/i,
  /\b(?:will do|will fix|will change|will update)\b/i,
  /\bI(?:'ll| will| can)(?: also| definitely| certainly)? (?:try|give it a (?:try|shot)|add|queue|put up|keep (?:it|that|this) in mind|test|update|fix|post|drop|rework|respin|look into|take a look|change|rename|move|remove|split|document)\b/i,
  /^(?:ok|okay|right|sure|yes|agreed)[.!]?$/i,
  /^(?:ok|okay)[,.]?\s+(?:let's|let us|I will|I'll|will)\b/i,
  /\bthanks for (?:catching|spotting|pointing)/i,
  /\bis not the best idea\b/i,
];

/** Concession cues that give in whoever the writer is ("No, you're right.", "I have no objection"). */
const STRONG_CONCEDE = [
  /\byou(?:'re| are) (?:absolutely |completely |totally )?right\b/i,
  /\bI stand corrected\b/i,
  /\bI was wrong\b/i,
  /\bpoint taken\b/i,
  /\bno objections?\b/i,
  /\bI will not insist\b|\bI won't insist\b/i,
];

const AGREE = [
  /\bI (?:fully |totally |completely |definitely |do |also |certainly )?agree\b/i,
  /^(?:(?:absolutely|totally|fully|completely|strongly),? )?agreed\b/i,
  /\bagreed on\b/i,
  /^\+1\b/,
  /\blooks? (?:good|great|fine|perfect|sane|reasonable)\b/i,
  /\bLGTM\b/,
  /\bsounds? (?:good|great|fine|reasonable|perfect|promising|like a good)\b/i,
  /\bseems? (?:promising|reasonable|sensible|fine|good)\b/i,
  /\bmakes? a (?:very |really |strong )?good case for\b/i,
  /\bmakes? (?:total |a lot of |perfect )?sense\b/i,
  /\bI (?:really )?like (?:it|this|that|the)\b/i,
  /\bgood idea\b/i,
  /\bgreat idea\b/i,
  /\bI(?:'m| am) (?:totally |all |fully )?(?:fine|ok|okay|happy|good) with\b/i,
  /\bfine (?:by|with) me\b/i,
  /\b(?:totally|fully) up for\b/i,
  /\bin favou?r of\b/i,
  /^exactly\b|\b(?:that's|that is|this is) exactly (?:it|right|my point|what I (?:meant|mean|wanted))\b/i,
  /\bvery (?:much )?(?:useful|helpful|cleaner|nice)\b/i,
  /\b(?:is|are) (?:an )?important (?:use ?case|feature)/i,
  /\b(?:we|I) (?:have )?(?:also |)(?:run into|hit|seen|experienced) (?:that|this|the same|some of)/i,
  /\bapply to us as well\b|\bfor us as well\b/i,
  /^(?:yes|yeah|yep|right|indeed|true|correct|definitely|absolutely)\b[,.!]/i,
];

/** Endorsements that close a paragraph, found anywhere in it ("…, the patch makes sense to me given the reasoning"). */
const AGREE_ANYWHERE = [
  /\b(?:makes? (?:total |perfect )?sense|(?:sounds?|looks?|seems?) (?:like )?(?:an? )?(?:slightly |much |a lot |really |very )?(?:better|good|great|reasonable|sensible|fine)(?: approach| idea| option)?) to me\b/i,
  /\b(?:worth (?:a shot|a try|trying|pursuing)|looking forward to (?:your|the|a|it|this|that))\b/i,
];

const CONTRAST = /(?:\bbut\b|\bhowever\b|\bthat said\b|\balthough\b|\bon the other hand\b|\bnevertheless\b)/i;

/** Suggestions of a different version of what is on the table. */
const ALTERNATIVE = [
  /\bhow about\b/i,
  /\bwhat about (?:adding|using|making|having|a |an |the option|introducing|something)/i,
  /\bwhy not (?:just |simply )?(?:add|use|make|have|do|directly|introduce|create|return|put|move|let|keep|go|rely|reuse|extend|implement)/i,
  /\bwould(?:n't| not)? it (?:not )?(?:work|be better|be (?:easier|simpler|cleaner|nicer|possible)|make (?:more )?sense)\b/i,
  /\bwouldn't it be\b/i,
  /\b(?:could|can|should|shall) we (?:not )?(?:just |simply |instead |rather |also )?(?:add|use|make|have|do|introduce|return|move|put|go|keep|rely|reuse|extend|implement|drop|split|skip|allow|provide|expose|consider)\b/i,
  /\b(?:we|you) could (?:also |just |simply |instead |rather )?\w+/i,
  /\b(?:I(?: would|'d) (?:suggest|prefer|recommend|rather|propose|go with|add|argue for)|I suggest|I propose)\b/i,
  /\bcounter[- ]?proposal\b/i,
  /\b(?:that |it |this )?would make (?:more|much more|a lot more) sense\b/i,
  /\bwe (?:can|could) either\b/i,
  /\bit (?:would|might|may) be (?:better|nicer|nice|cleaner|simpler|easier|preferable|good|great|helpful|more (?:natural|sensible|useful))\b/i,
  /\b(?:is|be|seems?) (?:much |a lot |far )?(?:better|nicer|cleaner|simpler|easier) to\b/i,
  /\b(?:good|nice|helpful|useful) to (?:add|mention|document|note|include|explain|outline|describe)\b/i,
  /\balternative(?:ly)?\b/i,
  /\b(?:one|another|an?) (?:idea|option|approach|way|possibility) (?:would|could|is|might)\b/i,
  /\bmaybe (?:an?|we|you|it|the|just|add|use)\b/i,
  /\bperhaps (?:we|you|it|an?|the)\b/i,
  /\bI wonder (?:if|whether) (?:we|you|it|this|a|an|there)\b/i,
  /\bplease (?:add|use|make|consider|split|document|rename|move|drop|remove|keep|return|check|update|fold|squash|describe|mention|explain in|put|convert|switch|avoid)\b/i,
  /\bthere should be\b|\bI think (?:there|we|you|it) should\b/i,
  /\b(?:should|needs? to|has to) (?:be|use|return|check|take|go|have) (?:an?|the|done|moved|split|handled|renamed|documented|a separate)\b/i,
  /\bnit\b|^s\/.*\/.*\/$/i,
  /\bmy take is\b/i,
  /\bwould ideally\b/i,
  /\blet's (?:just |simply )?(?:add|make|use|introduce|have|do|go with|keep|document|not|skip|drop|remove|move|split)\b/i,
  /\bwhat if (?:we|you)\b/i,
  /\bhave you considered\b|\bdid you consider\b/i,
  /\bconsider (?:using|adding|making|moving)\b/i,
  /\bI floated this\b|\bI proposed\b/i,
];

/** Disagreement and doubt. */
const OBJECT = [
  /\bI (?:really |still |just |simply |honestly )?(?:do not|don't|dont|cannot|can't|can not) (?:really )?(?:think|want|see|like|believe|agree|buy|understand why|follow|get why|find)\b/i,
  /\bI (?:really |strongly )?disagree\b/i,
  /\bbeg to differ\b/i,
  /\bnot (?:yet |really |entirely |fully |quite )?convinced\b/i,
  /\bI(?:'m| am) (?:still |really )?not (?:sure|a (?:big |great )?fan|comfortable|keen|happy|thrilled|opposed)/i,
  /\bnot (?:sure|certain) (?:that|this|it|we|why|how|about|whether)\b/i,
  /\b(?:does|do|did|would|will|can|could)(?:n't| not) (?:really )?(?:make (?:much |any )?sense|work|help|solve|address|fix|scale|apply|matter|sound right)\b/i,
  /\b(?:is|are|was|were)(?:n't| not) (?:a )?(?:good|great|meaningful|sensible|true|correct|right|the case|suitable|acceptable|needed|necessary|helpful|useful|practical|enough|sufficient|an option|a problem|different|the same|the way)\b/i,
  /\b(?:that|this|it)(?:'s| is) not\b/i,
  /\bthey(?:'re| are) not\b/i,
  /^no\b[,.!]?|\bnope\b/i,
  /\bwrong\b|\bincorrect\b|\bmisleading\b|\bbogus\b|\bbroken\b/i,
  /\b(?:the |a |my |one |biggest |main |real )?(?:problem|issue|concern|worry|downside|drawback|risk)s? (?:is|are|here|with|I (?:see|have))\b/i,
  /\b(?:concerned|worried|afraid)\b/i,
  /\b(?:break|breaks|breaking|regression|regress)\b/i,
  /\btoo (?:complex|complicated|fragile|radical|much|expensive|late|early|vague|broad|risky|specific|heavy)\b/i,
  /\b(?:hard|difficult|tricky|impossible) to\b|\bis tricky\b/i,
  /\b(?:not a good|a bad|not the right) (?:idea|approach|way|fit|interface)\b/i,
  /\boverkill\b|\bunnecessar(?:y|ily)\b|\bpointless\b|\bhack(?:y|ish)?\b|\bpaper over\b|\bwork ?around\b/i,
  /\b(?:should|must|shall)(?:n't| not)\b/i,
  /\b(?:won't|will not|wouldn't|would not) (?:work|help|be (?:enough|sufficient|acceptable))\b/i,
  /\b(?:I|we) (?:would|'d) (?:rather not|argue)\b/i,
  /\bthe difference (?:here )?is\b/i,
  /\b(?:already (?:possible|has|have|exists?|there|done|does|handled|provides?|calls?)|is already)\b/i,
  /\bthis is (?:actually |exactly )?what we (?:do|have|use)\b/i,
  /\bnothing to do with\b|\bunrelated\b|\birrelevant\b/i,
  /\bI (?:still )?(?:think|believe) (?:that )?(?:this|it|we|the|a)\b.{0,60}\b(?:not|no|never|only|wrong|better|worse)\b/i,
  /\b(?<!\bnot )against\b/i,
  /\bdoesn't really strike\b|\bstrike me as\b/i,
  /\bin (?:an ideal|theory)\b/i,
  /\byou(?:'re| are) (?:getting|missing|confusing|mixing)\b/i,
  /\b(?:I think |I believe )?you (?:meant|mean)\b/i,
  /\bdo we (?:really|even|actually) need\b/i,
];

/** Questions that carry an objection rather than ask for information. */
const RHETORICAL = [
  /\b(?:isn't|aren't|wasn't|doesn't|don't|didn't|wouldn't|shouldn't|won't|can't) (?:that|this|it|they|we|you|there)\b[^.]*\?/i,
  /\bwhy (?:would|should|do|does|is|are|did) (?:we|you|anyone|anybody|somebody|userspace|the|that|this|it)\b[^.]*\?/i,
  /\bhow (?:is|would|does|do|can|could) (?:that|this|it|a|the)\b[^.]*(?:different|better|easier|worse|help|solve|any)\b[^.]*\?/i,
  /\bwhat(?:'s| is) the (?:point|difference|benefit|problem)\b/i,
  /\bwho (?:would|will|is going to|cares)\b/i,
  /\bdo we (?:really|even|actually)\b/i,
  /\breally\?/i,
  /\bwhat does prevent\b|\bhow do you prevent\b|\bhow much would you\b/i,
  /\b(?:but|so) (?:how|why|what|again)\b[^.]*\?/i,
  /\bhave we ever\b/i,
  /\bwait,? how\b/i,
  /,\s*no\?/i,
  /\b(?:is|are) there really\b/i,
  /\bwhat about the\b[^.]*\?/i,
];

/**
 * One line of code or of a diff: a hunk header, an added or removed line holding code ("+\tif (x)",
 * "-foo();"), or a statement line ending in ";", "{" or "}" or opening with a C keyword. Each
 * alternative is anchored and its parts cannot overlap, so a line is matched in linear time.
 */
const CODE_LINE =
  /^(?:@@ [^@]*@@|[+-](?:\t|\s{2,})\S|[+-]?[ \t]*[\w*&(][^\n]*[;{}]\s*$|[+-]?[ \t]*[{}]|[+-]?[ \t]+(?:if|for|while|return|struct|static|unsigned|int|long|bool|void)\b|[+-](?:static|struct|unsigned|int|long|bool|void|if|for|while|return)\b)/;

/** Whether most lines of a paragraph are code or diff (a code suggestion when written in a reply). */
export function isCode(raw: string): boolean {
  const lines = raw.split('\n').filter((l) => l.trim() !== '');
  if (!lines.length || lines.length > 400) return false;
  let code = 0;
  for (const l of lines) if (l.length <= 400 && CODE_LINE.test(l)) code++;
  return code * 2 > lines.length;
}

const QUESTION_END = /\?\s*(?:["')\]]\s*)?(?:$|\s)/;

/** The rule table. Each rule: id, stance, what it checks, and a real example it was written from. */
export interface Rule {
  id: string;
  stance: Stance;
  what: string;
  example: { messageId: string; para: string; text: string };
}

/** Every rule, in the order they are tried (docs/graph.md renders this table). */
export const RULES: Rule[] = [
  {
    id: 'trailer.ack',
    stance: 'acks',
    what: 'an Acked-by/Reviewed-by/Tested-by trailer line',
    example: {
      messageId: 'YkYAFxTgo4OsL4q4@cmpxchg.org',
      para: 't1',
      text: 'Acked-by: Johannes Weiner <hannes@cmpxchg.org>',
    },
  },
  {
    id: 'trailer.nack',
    stance: 'nacks',
    what: 'a Nacked-by trailer line',
    example: {
      messageId: '20190615162004.GG657710@devbig004.ftw2.facebook.com',
      para: 't1',
      text: 'Nacked-by: Tejun Heo <tj@kernel.org>',
    },
  },
  {
    id: 'trailer.other',
    stance: 'neutral',
    what: 'any other trailer (Signed-off-by, Cc, Suggested-by, Link, Fixes …)',
    example: {
      messageId: '20200909215752.1725525-1-shakeelb@google.com',
      para: 't1',
      text: 'Signed-off-by: Shakeel Butt <shakeelb@google.com>',
    },
  },
  {
    id: 'form.changelog',
    stance: 'neutral',
    what: 'a version change log ("Changes since v1:", "v2 -> v3", "v3:") and the list items under it',
    example: { messageId: '20221202223533.1785418-1-almasrymina@google.com', para: 'p12', text: 'v3:' },
  },
  {
    id: 'form.greeting',
    stance: 'neutral',
    what: 'a greeting line ("Hello Shakeel,")',
    example: { messageId: '20201001151058.GB493631@cmpxchg.org', para: 'p1', text: 'Hello Shakeel,' },
  },
  {
    id: 'form.signoff',
    stance: 'neutral',
    what: 'a sign-off, a bare name or an emoticon ("Thanks, SeongJae Park", "Shakeel", "^_^")',
    example: {
      messageId: '20200910063656.25038-1-sjpark@amazon.com',
      para: 'p3',
      text: 'Thanks, SeongJae Park',
    },
  },
  {
    id: 'form.aside',
    stance: 'neutral',
    what: 'Cc notes, apologies for a late reply, link-only paragraphs, in-body From: lines, bracketed maintainer notes, short bracketed notes in a reply ("[snip code pointers]"), trailer lines quoted inside prose',
    example: {
      messageId: 'CALvZod7K9g9mi599c5+ayLeC4__kckv155QQGVMVy2rXXOY1Rw@mail.gmail.com',
      para: 'p1',
      text: 'Adding Minchan, if he has more experience/opinion on async swap on zram/zswap.',
    },
  },
  {
    id: 'posting.proposes',
    stance: 'proposes',
    what: 'any other paragraph of a patch, cover letter or thread-opening message',
    example: {
      messageId: '20200909215752.1725525-1-shakeelb@google.com',
      para: 'p20',
      text: "Introducing a very simple memcg interface 'echo 10M > memory.reclaim' to trigger reclaim in the target memory cgroup.",
    },
  },
  {
    id: 'reply.nack',
    stance: 'nacks',
    what: '"Nack"/"NAK" in a reply, unless negated ("I am not nacking")',
    example: {
      messageId: '20190822135823.GO2263813@devbig004.ftw2.facebook.com',
      para: 'p1',
      text: 'Nack for the whole series.  Please stop mixing interface and locking changes.',
    },
  },
  {
    id: 'reply.ack-offer',
    stance: 'acks',
    what: 'an offered tag ("feel free to add my Reviewed-by"), or a lead-in ending in ":" right before an Acked-by',
    example: {
      messageId: '85f627d5-7572-1fc7-db1f-bc1337767a68@gmail.com',
      para: 'p2',
      text: 'In any case, for the documentation part:',
    },
  },
  {
    id: 'reply.agree-but',
    stance: 'objects-to',
    what: 'agreement or concession followed, within two sentences, by a contrast or a disagreement cue ("I understand your point but …", "OK, fair enough. One thing that I really do not want …"); after a bare "Yes," / "Right." only an explicit contrast counts ("Yes, it shouldn\'t mean any more than …" confirms)',
    example: {
      messageId: 'CALvZod66T4-y2JQnN+favf6tnKkkFQ17HZ8EAAX0GXAcbO4v+w@mail.gmail.com',
      para: 'p2',
      text: 'I understand your point but from the usability perspective, I am finding it hard to deploy/use.',
    },
  },
  {
    id: 'reply.concede',
    stance: 'concedes',
    what: 'a concession cue ("fair enough", "you are right", "I will add a test in v2", "I will post a new version", "I sure can in the next version", "I\'ll try it out", "I can add a sentence", "I\'ll queue the revert") by the proposal author, or by a writer whose own point the quote answered; a strong one ("you are right", "no objection", "I will not insist") by anyone, under an objection, alternative or answer; any other concession cue outside a question, unless it is a bare "Yes." / "Agreed." (that supports)',
    example: {
      messageId: 'CAJD7tkYVpnf1+sa9vRAQCw5H0LUH6zE6_yhNAFwKF3sW0BLzEA@mail.gmail.com',
      para: 'p3',
      text: 'I will add a test in v2, thanks!',
    },
  },
  {
    id: 'reply.code',
    stance: 'proposes-alternative',
    what: 'a reviewer writes code or a diff (most lines are diff lines, statements ending in ";", "{" or "}", or open with a C keyword): the change they would make instead',
    example: {
      messageId: 'ZZYE36e0BFFzi0X3@google.com',
      para: 'p3',
      text: '+static int sc_swappiness(struct scan_control *sc, struct mem_cgroup *memcg) …',
    },
  },
  {
    id: 'reply.question-alternative',
    stance: 'proposes-alternative',
    what: 'a question that suggests a change ("how about add may_swap option?", "Would it not work to …?")',
    example: {
      messageId: '20201001151058.GB493631@cmpxchg.org',
      para: 'p2',
      text: 'Would it not work to add headroom for this reclaim overhead to the CPU quota of the job?',
    },
  },
  {
    id: 'reply.question-rhetorical',
    stance: 'objects-to',
    what: 'a question that carries an objection ("Isn\'t that the same for all work performed by the kernel?", "Why would …?", "…, no?", "Are there really …?")',
    example: {
      messageId: '20201008151449.GB163830@cmpxchg.org',
      para: 'p1',
      text: "Isn't that the same for all work performed by the kernel?",
    },
  },
  {
    id: 'reply.question',
    stance: 'asks',
    what: 'any other paragraph with a question ("Wait how did you reach this conclusion?", "Thoughts?"); a question with an explicit request for information ("Please be more specific", "Could you explain") even when it reads as rhetorical; a request without a question mark ("I am curious why …", "This could use some elaboration")',
    example: { messageId: '20200928210216.GA378894@cmpxchg.org', para: 'p31', text: 'Thoughts?' },
  },
  {
    id: 'reply.agree',
    stance: 'supports',
    what: 'agreement cues at the start ("I agree", "I do agree", "Absolutely agreed!", "Sounds good to me!", "+1", "I am fine with", "Exactly", "makes a very good case for"); when no other cue fires, an endorsement anywhere, unless negated ("… makes sense to me", "sounds like a better approach to me", "worth a shot", "Looking forward to your patch")',
    example: { messageId: 'Ykdz7fiMFZeFltYy@cmpxchg.org', para: 'p1', text: 'Sounds good to me!' },
  },
  {
    id: 'reply.alternative',
    stance: 'proposes-alternative',
    what: 'suggestion cues ("I would suggest", "I\'d add", "it is better to", "it\'s nicer to", "it would be nice to", "good to mention", "instead", "One idea would be", "please add", "Let\'s just skip", "My counter proposal", "that would make more sense", "We can either")',
    example: {
      messageId: '20200922190859.GH12990@dhcp22.suse.cz',
      para: 'p1',
      text: 'One idea would be to schedule a background worker …',
    },
  },
  {
    id: 'reply.answer',
    stance: 'answers',
    what: 'the quote above asked a question (or asked for more: "This could use some elaboration", "the question becomes whether"), and the paragraph is the first under it or continues an answer; the proposal author answers a question even when the rules read it as an objection; the proposal author under a remark that neither objects nor asks (its claims are neutral or concessions) reports or explains',
    example: {
      messageId: 'CAAPL-u-_Da0qe7h_o70HCz4gPtjT8_bjx4rVNdgKZh3KNruzpA@mail.gmail.com',
      para: 'p1',
      text: 'memory.reclaim is similar to memory.high w.r.t. reclaiming memory, …',
    },
  },
  {
    id: 'reply.object',
    stance: 'objects-to',
    what: 'disagreement and doubt cues ("I really do not want", "I do not think", "not convinced", "the problem is", "already possible"; "against" but not "not against")',
    example: {
      messageId: '20200219211735.GD54486@cmpxchg.org',
      para: 'p2',
      text: "From a user perspective this isn't a meaningful distinction.",
    },
  },
  {
    id: 'form.thanks',
    stance: 'neutral',
    what: 'a short thank-you with no other cue ("Thanks for taking a look at this!")',
    example: {
      messageId: 'CAJD7tka1UstKYBVrie-_1CgvtaLtVD1uwgzfk5SifxW4FQbOVw@mail.gmail.com',
      para: 'p1',
      text: 'Thanks for taking the time to look at this!',
    },
  },
  {
    id: 'reply.continue',
    stance: 'neutral',
    what: 'no cue: a paragraph that continues the previous one (no quote in between) takes its stance (premises inherit), unless that one asked or agreed',
    example: {
      messageId: '20200219211735.GD54486@cmpxchg.org',
      para: 'p4',
      text: 'So kswapd is very much a cgroup-attributable activity, *especially* if …',
    },
  },
  {
    id: 'reply.default',
    stance: 'objects-to',
    what: 'no cue under a quote: a reply that neither asks, answers nor agrees disputes what it quotes (the commonest move in review)',
    example: {
      messageId: '20200219211735.GD54486@cmpxchg.org',
      para: 'p5',
      text: 'The limiting factor on the consumer side is IO. …',
    },
  },
  {
    id: 'reply.unquoted',
    stance: 'neutral',
    what: 'no cue and no quote anywhere in the message: a remark that answers nothing in particular',
    example: {
      messageId: '20200331152534.GA972283@chrisdown.name',
      para: 'p1',
      text: 'Andrew, this is a pretty bad one that could definitely affect …',
    },
  },
];

const RULE_BY_ID = new Map(RULES.map((r) => [r.id, r]));
/** Confidence by rule: structural rules are near-certain, cue rules good, defaults weak. */
const CONFIDENCE: Record<string, number> = {
  'trailer.ack': 1,
  'trailer.nack': 1,
  'trailer.other': 1,
  'form.changelog': 0.9,
  'form.greeting': 0.95,
  'form.signoff': 0.9,
  'form.aside': 0.8,
  'posting.proposes': 0.85,
  'reply.nack': 0.8,
  'reply.ack-offer': 0.8,
  'reply.agree-but': 0.6,
  'reply.concede': 0.6,
  'reply.code': 0.6,
  'reply.question-alternative': 0.55,
  'reply.question-rhetorical': 0.5,
  'reply.question': 0.55,
  'reply.agree': 0.55,
  'reply.alternative': 0.5,
  'reply.answer': 0.5,
  'reply.object': 0.5,
  'form.thanks': 0.7,
  'reply.continue': 0.4,
  'reply.default': 0.3,
  'reply.unquoted': 0.3,
};

function result(id: string, cue?: string | null, stance?: Stance): StanceResult {
  const rule = RULE_BY_ID.get(id)!;
  const c = cue ? `: "${cue.length > 40 ? cue.slice(0, 40) + '…' : cue}"` : '';
  return { stance: stance ?? rule.stance, reason: id + c, confidence: CONFIDENCE[id] ?? 0.3 };
}

/** Whether a line is an approval trailer (for "…:" lead-ins right before one). */
const APPROVAL_TRAILER = /^(?:Acked|Reviewed|Tested)-by:/i;

/** Decide the stance of one paragraph or trailer. Pure: the same input always gives the same result. */
export function decideStance(inp: StanceInput): StanceResult {
  const raw = inp.text;
  const t = raw.replace(/\s+/g, ' ').trim();
  if (inp.kind === 'trailer') {
    if (/^(?:Acked|Reviewed|Tested|Reported-and-tested)-by:/i.test(t)) return result('trailer.ack');
    if (/^Nacked-by:/i.test(t)) return result('trailer.nack');
    return result('trailer.other');
  }
  if (inp.kind === 'changelog') return result('form.changelog');
  const words = t.split(' ').length;
  if (GREETING.test(t) && words <= 6) return result('form.greeting', t);
  if (
    (SIGNOFF.test(t) && words <= 8 && !/\?/.test(t)) ||
    (NAME_ONLY.test(t) && words <= 3 && !NOT_A_NAME.test(t)) ||
    EMOTICON_ONLY.test(t)
  )
    return result('form.signoff', t);
  // code or a diff written by a reviewer in a reply: the change they would make instead (before the
  // asides: "+static int …" is a diff line, not a "+Name" Cc note)
  if (!inp.inPosting && !inp.writerIsProposer && isCode(raw)) return result('reply.code', t.slice(0, 30));
  if (
    CC_NOTE.test(t) ||
    APOLOGY.test(t) ||
    LINK_ONLY.test(t) ||
    INBODY_FROM.test(t) ||
    (BRACKET_NOTE.test(t) && !/\?/.test(t)) ||
    (!inp.inPosting && BRACKET_ASIDE.test(t) && words <= 8 && !/\?/.test(t)) ||
    TRAILER_LINES.test(t)
  )
    return result('form.aside', t.slice(0, 30));
  if (inp.inPosting) {
    if (CREDIT.test(t) && words <= 30) return result('form.aside', t.slice(0, 30));
    return result('posting.proposes');
  }

  // ---- replies ----
  if (NACK.test(t) && !NEGATED_NACK.test(t)) return result('reply.nack', NACK.exec(t)![0]);
  const offer = find(ACK_OFFER, t);
  if (offer) return result('reply.ack-offer', offer);
  if (/:\s*$/.test(t) && inp.nextLine && APPROVAL_TRAILER.test(inp.nextLine.trim()))
    return result('reply.ack-offer', t.slice(-30));

  const isQuestion = QUESTION_END.test(t);
  const head = t.slice(0, 80);
  const concede = find(CONCEDE, t);
  const agree = find(AGREE, head);
  // "I agree … but …": the contrast is the main move
  const opener = concede ?? agree;
  if (opener) {
    // the contrast must follow in the same sentence or the next one: "I understand your point but …"
    const at = t.toLowerCase().indexOf(opener.toLowerCase());
    const after = sentences(t.slice(at + opener.length), 2);
    // after a bare "Yes," / "Right." a negative statement confirms ("Yes, it shouldn't mean any
    // more than …"): only an explicit contrast turns it round
    const bare = /^(?:yes|yeah|yep|right|indeed|true|correct)$/i.test(opener.replace(/[,.!]$/, ''));
    if ((CONTRAST.test(after) || (!bare && find(OBJECT, after))) && !/^[^,]{0,3}\bthanks\b/i.test(after))
      return result('reply.agree-but', opener);
  }
  // the quote above asked something (its claim was a question, or it reads as one): what
  // follows answers it, even when it disputes the premise; "I agree" still reads as support,
  // and "will do" / "you are right" as a concession
  // a question put to the proposal's author is answered by the author even when the rules read
  // it as an objection ("Shouldn't the if condition use '||'?" — "I copied the pattern from …")
  const asked =
    !isQuestion &&
    (inp.quotedStances.length
      ? inp.quotedStances.includes('asks') || (inp.writerIsProposer && quoteAsks(inp.quote))
      : quoteAsks(inp.quote));
  const bareYes = /^(?:yes|yeah|yep|sure|no|nope|right|correct|exactly)\b/i.test(t);
  if (asked && (bareYes || (!agree && !(concede && !/^(?:ok|okay|sure|yes|right)\b/i.test(concede)))))
    return result('reply.answer');
  if (concede && (inp.writerIsProposer || inp.quoteAnswersWriter)) {
    // conceding needs something to give in to: a request, an objection or a question
    const against = inp.quotedStances.some(
      (q) => q === 'objects-to' || q === 'proposes-alternative' || q === 'asks' || q === 'nacks',
    );
    if (against || !inp.quotedStances.length) return result('reply.concede', concede);
  }
  const strong = find(STRONG_CONCEDE, t);
  if (
    strong &&
    inp.quotedStances.some((q) => q === 'objects-to' || q === 'proposes-alternative' || q === 'answers')
  )
    return result('reply.concede', strong);
  if (isQuestion) {
    const alt = find(ALTERNATIVE, t);
    const rhet = find(RHETORICAL, t);
    if (alt && !rhet) return result('reply.question-alternative', alt);
    // "Why do we need …? Please be more specific about the usecase.": an explicit request for
    // information makes the question a real one
    const request = QUESTION_CUE.exec(t);
    if (request && !alt) return result('reply.question', request[0]);
    if (rhet) return result('reply.question-rhetorical', rhet);
    const obj = find(OBJECT, t);
    if (obj && !inp.writerIsProposer && words > 25) return result('reply.question-rhetorical', obj);
    return result('reply.question', t.slice(Math.max(0, t.indexOf('?') - 30), t.indexOf('?') + 1));
  }
  // a concession cue outside the roles above still gives in ("Ok, I'll update the table", "I get your
  // point"); a bare "Yes." / "Agreed." only agrees
  if (concede)
    return /^(?:ok|okay|right|sure|yes|agreed)[.!]?$/i.test(concede)
      ? result('reply.agree', concede, 'supports')
      : result('reply.concede', concede);
  if (agree) return result('reply.agree', agree);
  if (META.test(t) || (/:$/.test(t) && words <= 12)) return result('form.aside', t.slice(0, 30));
  const alt = find(ALTERNATIVE, t);
  if (alt) return result('reply.alternative', alt);
  // the proposal's author under a remark that neither objects nor asks (a note, a concession, "I'll
  // try it out"): what follows reports or explains (results, the use case), even when it reads
  // like an objection
  if (
    inp.writerIsProposer &&
    inp.quotedStances.length &&
    inp.quotedStances.every((q) => q === 'neutral' || q === 'concedes')
  )
    return result('reply.answer', null);
  // a request for an explanation without a question mark ("I am curious why …", "This could use
  // some elaboration")
  const request = QUESTION_CUE.exec(t);
  if (request) return result('reply.question', request[0]);
  const obj = find(OBJECT, t);
  if (obj) return result('reply.object', obj);
  // no other cue: an endorsement later in the paragraph ("… the patch makes sense to me"), unless negated
  const late = AGREE_ANYWHERE.map((re) => re.exec(t)).find((m) => m !== null);
  if (late && !/\b(?:not|never)\s+$|n't\s+$/i.test(t.slice(Math.max(0, late.index - 12), late.index)))
    return result('reply.agree', late[0]);
  if (THANKS_LEAD.test(t) && words <= 20) return result('form.thanks');
  // a paragraph without a question does not continue a question: it states something of its own
  if (
    inp.previous &&
    inp.previous !== 'neutral' &&
    inp.previous !== 'acks' &&
    inp.previous !== 'asks' &&
    inp.previous !== 'supports' &&
    !inp.directlyUnderQuote
  )
    return result('reply.continue', null, inp.previous);
  if (inp.quote !== null) return result('reply.default');
  return result('reply.unquoted');
}

/** The first n sentences of a text (a sentence ends at . ! or ? followed by a space). */
function sentences(text: string, n: number): string {
  let at = 0;
  for (let k = 0; k < n; k++) {
    const m = /[.!?](?:\s|$)/g;
    m.lastIndex = at;
    const hit = m.exec(text);
    if (!hit) return text;
    at = hit.index + 1;
  }
  return text.slice(0, at);
}

/** Requests that read as questions without a question mark ("I am curious why …"). */
const QUESTION_CUE =
  /\b(?:I am curious|I'm curious|I was curious|I wonder|can you (?:explain|elaborate|clarify|share|describe)|could you (?:explain|elaborate|clarify|share|describe)|please (?:explain|elaborate|clarify|be more specific)|(?:could|can) you be more specific|what do you mean|not sure I (?:understand|follow)|could use (?:some |more |a bit of )?(?:elaboration|explanation|clarification)|the question (?:is|becomes) (?:whether|if|how|why|what))\b/i;

/** The cue lists, by name, for `cueHits` (exported for its equivalence test). */
export const CUE_LISTS: readonly [string, RegExp[]][] = [
  ['ack-offer', ACK_OFFER],
  ['concede', CONCEDE],
  ['strong-concede', STRONG_CONCEDE],
  ['agree', AGREE],
  ['agree-anywhere', AGREE_ANYWHERE],
  ['contrast', [CONTRAST]],
  ['alternative', ALTERNATIVE],
  ['object', OBJECT],
  ['rhetorical', RHETORICAL],
  ['question-cue', [QUESTION_CUE]],
  ['meta', [META]],
  ['nack', [NACK]],
  ['thanks-lead', [THANKS_LEAD]],
  ['credit', [CREDIT]],
  ['apology', [APOLOGY]],
];

/**
 * Every cue list that matches a paragraph (whitespace collapsed), whether or not its rule would
 * decide: the learned model weighs cues that the ordered rules can only take one at a time.
 * `@1` marks a cue in the first sentence, where openers like "Good point" and "Nack" live.
 */
export function cueHits(text: string): string[] {
  const t = text.replace(/\s+/g, ' ').trim();
  const end = t.search(/[.?!] /);
  const first = end < 0 ? t : t.slice(0, end + 1);
  const out: string[] = [];
  for (const [name, re] of CUE_UNIONS) {
    if (!re.test(t)) continue;
    out.push(name);
    if (re.test(first)) out.push(name + '@1');
  }
  return out;
}

/**
 * Each cue list as one alternation (the same matches as trying its patterns in turn, in one scan
 * of the paragraph; cueHits only asks whether any matched). Lists whose flags differ, or that use
 * a global flag, keep their first pattern's semantics by not being merged.
 */
const CUE_UNIONS: [string, RegExp][] = CUE_LISTS.map(([name, list]) => {
  const flags = list[0]!.flags;
  if (list.every((r) => r.flags === flags) && !flags.includes('g') && !flags.includes('y'))
    return [name, new RegExp(list.map((r) => `(?:${r.source})`).join('|'), flags)];
  return [name, { test: (x: string) => find(list, x) !== null } as RegExp];
});

/** Whether a quote asks something: a question mark ending a sentence, or a request for an explanation. */
export function quoteAsks(quote: string | null): boolean {
  if (!quote) return false;
  const q = quote.replace(/\s+/g, ' ').trim();
  return QUESTION_END.test(q + ' ') || QUESTION_CUE.test(q);
}

/**
 * The id of the rule behind a stored `stance_reason`: the reason itself ("obj.cue: …"), or the
 * `[rules: id]` suffix that a model call, an override or a decision record keeps ("model: p=0.91 … [rules: obj.cue]";
 * a record wraps the reason it replaced: "record: … [rules: model: p=0.61 … [rules: reply.question]]").
 */
export function ruleIdOf(reason: string): string {
  // the innermost "[rules: " holds the rule: a record wraps a model call that wraps the rule
  const i = reason.lastIndexOf('[rules: ');
  return (i < 0 ? reason : reason.slice(i + 8)).split(/[:\]\s]/)[0]!;
}

/** Map a stance onto the issue's edge relations (docs/graph.md, "Stances and relations"). */
export function relationOf(stance: Stance): string {
  switch (stance) {
    case 'objects-to':
    case 'supports':
    case 'asks':
    case 'answers':
    case 'concedes':
    case 'proposes-alternative':
    case 'acks':
    case 'nacks':
      return stance;
    default:
      return 'responds-to';
  }
}

export type { Cue };
