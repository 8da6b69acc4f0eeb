"""Function words of the Latin-script languages a question is most often mistakenly asked in: articles,
pronouns, prepositions, question words, auxiliaries and the common forms of "say". Only their presence is
used (detect.py), to tell a question that is not in English; English's own words are in lang/en/lexicon.

A word that is also an English function word ("was", "an") is dropped from these lists where they are used,
so that it counts for neither side; words that are ordinary English words too ("war", "son", "come", "men",
"door") are left out of them here, so that a short English question never looks foreign.
"""

from __future__ import annotations

from typing import Final


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# language code -> (name, words)
FUNCTION_WORDS: Final[dict[str, tuple[str, frozenset[str]]]] = {
    "de": ("German", _words("""
        der die das dem des ein eine einer einem einen eines und oder aber nicht kein keine ist sind waren wird werden
        wurde wurden haben hatte hatten sagte sagten gesagt sagt ich du er sie es wir ihr mich mir dich dir sich uns
        euch ihm ihn ihnen sein seine ihre mit von zu zum zur bei nach aus auf für über unter vor gegen durch ohne im
        vom ins wer wen wem wessen was wie wo wann warum weshalb wieso welche welcher welches dass auch noch schon nur
        sehr doch denn dieser diese dieses jener
    """)),
    "fr": ("French", _words("""
        le la les un une des du de et ou mais ne pas est sont était étaient sera ont avait avaient dit disait a-t-il
        qu que qui quoi quel quelle quels quelles où quand comment pourquoi combien je tu il elle nous vous ils elles
        lui leur leurs sa ses mon mes ce cet cette ces dans sur sous avec sans entre chez vers au aux l d c j s n été
        être avoir fait y en se très aussi
    """)),
    "es": ("Spanish", _words("""
        el la los las un una unos unas y o pero no es eran fue fueron ha han había dijo dijeron dice dicho que qué
        quien quién quienes cuál cual cuáles cuando cuándo donde dónde cómo como por porqué cuánto cuánta yo tú él
        ella nosotros vosotros ellos ellas le les su sus mi mis este esta estos estas ese esa del en sobre para entre
        desde hasta hacia muy también se
    """)),
    "it": ("Italian", _words("""
        il lo la i gli le un uno una e o ma non è sono erano fu hanno aveva detto disse che cosa cos quale quali
        quando dove perché quanto quanta io tu lui lei noi voi loro suo sua suoi mio mia questo questa questi queste
        quello quella del della dello dei degli delle alla allo ai agli alle nel nella nei nelle su sul sulla per
        tra fra senza di molto anche si
    """)),
    "pt": ("Portuguese", _words("""
        o a os as um uma uns umas e ou mas não é são era eram foi foram tem têm tinha disse disseram diz dito que quem
        qual quais quando onde como porque por quê quanto quanta eu tu ele ela nós vós eles elas lhe lhes seu sua seus
        suas meu minha este esta estes estas esse essa isso isto do dos das ao à aos às no na nos nas sobre para sem
        entre desde até muito também se pelo pela
    """)),
    "nl": ("Dutch", _words("""
        de het een en of maar niet geen is zijn was waren wordt worden werd werden heeft hebben had hadden zei zeiden
        gezegd zegt ik jij je hij zij ze wij we jullie mij mijn zijn haar ons onze met van voor naar uit op aan bij
        over onder tegen zonder om wie wat hoe waar wanneer waarom welke welk dat die deze dit ook nog alleen zeer
    """)),
    "pl": ("Polish", _words("""
        i a lub czy nie jest są był była było byli były będzie ma mają miał powiedział powiedziała powiedzieli mówi co
        kto kogo komu jak gdzie kiedy dlaczego czemu który która które ja ty on ona ono my wy oni mu jej ich jego mnie
        się w we z ze na do od po przez dla bez o przy nad za też także już tylko bardzo to ta te tego tej
    """)),
    "sv": ("Swedish", _words("""
        en ett det de och eller inte är var var blir blev har hade sade sa sagt säger jag du hon vi ni dem honom henne
        hennes deras mina sitt sina med av för från på om över under mot genom utan vid hos vem vad hur var när varför
        vilken vilket vilka att också bara mycket som
    """)),
}
