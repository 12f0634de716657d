#!/usr/bin/env python3
"""Writes the offline library benchmark's collection: a French encyclopaedia of N articles, in
one ZIM file written by the real ZIM writer (PyPI's `libzim`, openZIM's own), and beside it a
JSON file that says what is in it for tests/bench/library.py.

    python3 tests/bench/make_library.py OUT.zim [--articles 20000] [--seed 18]

The collection (deterministic for a given seed and count):

- N HTML articles (`text/html`, front articles) of 150 to 450 words of French-like text drawn
  from a vocabulary of a few hundred words with accents (é, è, à, ç, œ, ...), Zipf-like, so
  that some words are in most articles and others in a few; a handful of rare words are put in
  exactly a few articles each. Titles have accents too ("Rivière glacée de Besançon"); paths
  are titles with `_` for spaces, as Kiwix collections do. Each article links to 3 to 8 others
  by relative, percent-encoded hrefs (`Forêt_ancienne_de_Nîmes`), ~1 in 40 shows an image;
- a main page `Accueil` linking to the first 500 articles, a CSS file, 6 PNG images, 20
  redirects (accent-free spellings of titles);
- zstd clusters, a full-text Xapian index (`config_indexing(True, "fra")`, so that kiwix-serve
  can search it) and the title index; metadata Title, Description, Language=fra, Creator,
  Publisher, Date, Name, Tags and a 48x48 illustration.

OUT.json (OUT with `.json` for `.zim`) holds: `articles` ([path, title] in generation order),
`main`, `images`, `redirects`, `queries` (full-text: a frequent word and two words, both
accent-free, an accented word and the same word without its accents, a rare word, a rare
accented word, a word in no article; each with the number of articles that hold it, and for
the rare ones the `paths` of those articles, whose titles lack the word), `prefixes` (title
suggestions: accented, folded, lower-case, one letter), `html_bytes` (all articles
decompressed), the metadata, the seed and how long writing took.

Metadata and illustration are added before the items: libzim's Python binding keeps the GIL
in those calls while waiting for its workers, which need the GIL to read Python items, so
added after thousands of items they deadlock now and then (see /work/notes/issue18-zim.md).
"""

import argparse
import json
import os
import random
import sys
import time
import urllib.parse

from libzim.writer import Compression, Creator, Hint, Item, StringProvider

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "library"))
from make_zim import png  # noqa: E402  (the same tiny PNG writer as the tests' collections)

# ---------------------------------------------------------------- vocabulary

# (noun, gender) for titles.
NOUNS = [
    ("rivière", "f"), ("forêt", "f"), ("château", "m"), ("église", "f"), ("école", "f"),
    ("théâtre", "m"), ("bibliothèque", "f"), ("musée", "m"), ("cathédrale", "f"),
    ("abbaye", "f"), ("île", "f"), ("lac", "m"), ("montagne", "f"), ("vallée", "f"),
    ("fontaine", "f"), ("pont", "m"), ("moulin", "m"), ("phare", "m"), ("marché", "m"),
    ("prieuré", "m"), ("gare", "f"), ("forteresse", "f"), ("chapelle", "f"), ("citadelle", "f"),
    ("jardin", "m"), ("hôpital", "m"), ("lycée", "m"), ("collège", "m"), ("université", "f"),
    ("bataille", "f"), ("traité", "m"), ("révolution", "f"), ("guerre", "f"), ("fête", "f"),
    ("légende", "f"), ("chanson", "f"), ("poème", "m"), ("roman", "m"), ("opéra", "m"),
    ("tableau", "m"), ("sculpture", "f"), ("cœur", "m"), ("œuvre", "f"), ("théorème", "m"),
    ("équation", "f"), ("comète", "f"), ("étoile", "f"), ("planète", "f"), ("météorite", "f"),
    ("glacier", "m"), ("désert", "m"), ("marais", "m"), ("côte", "f"), ("baie", "f"),
    ("presqu'île", "f"), ("cascade", "f"), ("grotte", "f"), ("carrière", "f"), ("mine", "f"),
    ("canal", "m"), ("aqueduc", "m"), ("arène", "f"), ("écluse", "f"), ("forge", "f"),
    ("brasserie", "f"), ("fromagerie", "f"), ("vignoble", "m"), ("verger", "m"), ("ferme", "f"),
    ("manoir", "m"), ("donjon", "m"), ("rempart", "m"), ("beffroi", "m"), ("cloître", "m"),
]
# (masculine, feminine)
ADJECTIVES = [
    ("grand", "grande"), ("petit", "petite"), ("ancien", "ancienne"), ("nouveau", "nouvelle"),
    ("vieux", "vieille"), ("haut", "haute"), ("bas", "basse"), ("glacé", "glacée"),
    ("fortifié", "fortifiée"), ("oublié", "oubliée"), ("célèbre", "célèbre"),
    ("mystérieux", "mystérieuse"), ("sacré", "sacrée"), ("doré", "dorée"), ("enneigé", "enneigée"),
    ("fleuri", "fleurie"), ("ensoleillé", "ensoleillée"), ("éternel", "éternelle"),
    ("médiéval", "médiévale"), ("royal", "royale"), ("impérial", "impériale"),
    ("légendaire", "légendaire"), ("secret", "secrète"), ("perdu", "perdue"),
    ("inachevé", "inachevée"), ("brûlé", "brûlée"), ("reconstruit", "reconstruite"),
    ("méridional", "méridionale"), ("septentrional", "septentrionale"), ("côtier", "côtière"),
    ("forestier", "forestière"), ("fluvial", "fluviale"), ("maritime", "maritime"),
    ("étroit", "étroite"), ("profond", "profonde"), ("lumineux", "lumineuse"),
    ("silencieux", "silencieuse"), ("gelé", "gelée"), ("aménagé", "aménagée"), ("rénové", "rénovée"),
]
PLACES = [
    "Besançon", "Nîmes", "Orléans", "Périgueux", "Sète", "Fréjus", "Vénissieux", "Angoulême",
    "Évreux", "Créteil", "Béziers", "Mâcon", "Châlons", "Épinal", "Gérardmer", "Montréal",
    "Québec", "Genève", "Liège", "Bruxelles", "Namur", "Lausanne", "Dakar", "Abidjan",
    "Bamako", "Ouagadougou", "Niamey", "Lomé", "Cotonou", "Yaoundé", "Kinshasa", "Tunis",
    "Alger", "Rabat", "Port-au-Prince", "Cayenne", "Pointe-à-Pitre", "Saint-Étienne",
    "Aix-en-Provence", "Châteauroux", "Clermont-Ferrand", "Limoges", "Brest", "Quimper",
    "Saint-Malo", "Vézelay", "Carcassonne", "Albi", "Pau", "Bayonne", "Colmar", "Strasbourg",
    "Reims", "Troyes", "Dijon", "Besse", "Annecy", "Chamonix", "Grenoble", "Valence",
]

# Body vocabulary, most frequent first (Zipf-like draws favour the head of the list).
WORDS = """
le la les de des du et à en un une est dans par pour sur avec qui que au aux son sa ses
été était sont ont plus fut très aussi entre depuis après avant pendant sous vers comme
ville région siècle histoire nom partie construction population commune pays rivière
premier première grande grand roi église centre nord sud est ouest année années années
situé située construit construite célèbre ancien ancienne nombreux nombreuses plusieurs
élève élèves école professeur leçon cahier français géographie sciences mathématiques
musique peinture théâtre littérature poésie écrivain poète peintre architecte musicien
château forêt montagne vallée lac mer océan côte île plaine colline plateau fleuve source
été hiver printemps automne saison climat pluie neige vent soleil lune étoile ciel terre
eau feu pierre bois fer or argent cuivre verre sable argile craie marbre granit calcaire
agriculture élevage pêche commerce industrie artisanat marché foire récolte vigne blé maïs
pomme poire cerise fraise châtaigne noix olive fromage pain lait beurre miel sel épice
armée bataille guerre paix traité alliance empire royaume république révolution liberté
égalité fraternité citoyen peuple nation état gouvernement loi assemblée élection député
découverte invention recherche expérience laboratoire méthode théorie mesure calcul énergie
lumière chaleur électricité mouvement vitesse force matière atome molécule cellule espèce
animal plante arbre fleur feuille racine graine oiseau poisson insecte abeille fourmi
cheval vache mouton chèvre loup renard cerf sanglier ours aigle hibou grenouille serpent
famille enfant père mère frère sœur fils fille ami voisin habitant paysan ouvrier marchand
maison rue place pont tour mur porte fenêtre toit jardin cour chemin route gare port
fête tradition légende conte chanson danse costume musique instrument tambour violon flûte
œuvre cœur œil nœud vœu bœuf œuf sœur manœuvre chœur
déjà là où voilà deçà façade garçon leçon reçu façon français provençal commerçant maçon
à côté de près loin très bien mal souvent toujours jamais parfois encore enfin ainsi donc
naître mourir vivre habiter construire détruire découvrir fonder régner gagner perdre
traverser couler jaillir fleurir récolter cultiver élever pêcher chasser vendre acheter
écrire lire chanter peindre sculpter jouer apprendre enseigner étudier comprendre expliquer
aujourd'hui autrefois jadis longtemps bientôt hier demain siècle millénaire époque âge
médiéval moderne contemporain antique gallo-romain préhistorique néolithique gothique roman
baroque classique renaissance impressionniste romantique réaliste symboliste cubiste
""".split()
# Words put in exactly a few articles each (the "rare" queries).
RARE = ["photosynthèse", "ornithorynque", "xylophone", "kaléidoscope", "zygomatique",
        "quetzalcoatl", "hydroglisseur", "éphéméride"]
RARE_PER_WORD = 7


def fold(s):
    """Accents off, as a person typing without them would write."""
    table = str.maketrans("àâäáçéèêëîïíôöóùûüúÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŒÆ",
                          "aaaaceeeeiiiooouuuuyœæAAACEEEEIIOOUUUŒÆ")
    return s.translate(table).replace("œ", "oe").replace("æ", "ae").replace("Œ", "Oe")


# ---------------------------------------------------------------- the items

class Entry(Item):
    def __init__(self, path, title, mime, data, front, compress=True):
        super().__init__()
        self.path, self.title, self.mime, self.data = path, title, mime, data
        self.front, self.compress = front, compress

    def get_path(self):
        return self.path

    def get_title(self):
        return self.title

    def get_mimetype(self):
        return self.mime

    def get_contentprovider(self):
        return StringProvider(self.data)

    def get_hints(self):
        return {Hint.FRONT_ARTICLE: self.front, Hint.COMPRESS: self.compress}


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def href(path):
    return urllib.parse.quote(path, safe="/'-_.,()")


def page(title, body):
    return (f'<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
            f'<title>{esc(title)}</title><link rel="stylesheet" href="style.css"></head>\n'
            f'<body><h1>{esc(title)}</h1>\n{body}\n</body></html>\n')


def titles(rng, n):
    """n distinct titles: "<Noun> <adjective> de <Place>", then with a Roman numeral."""
    combos = [(a, b, c) for a in range(len(NOUNS)) for b in range(len(ADJECTIVES))
              for c in range(len(PLACES))]
    rng.shuffle(combos)
    out = []
    for i in range(n):
        a, b, c = combos[i % len(combos)]
        noun, gender = NOUNS[a]
        adj = ADJECTIVES[b][gender == "f"]
        t = f"{noun[0].upper()}{noun[1:]} {adj} de {PLACES[c]}"
        if i >= len(combos):
            t += f" ({i // len(combos) + 1})"
        out.append(t)
    return out


def zipf_picker(rng, words):
    weights = [1 / (k + 3) ** 1.05 for k in range(len(words))]
    cum, s = [], 0.0
    for w in weights:
        s += w
        cum.append(s)
    import bisect

    def pick(k):
        return [words[min(bisect.bisect(cum, rng.random() * s), len(words) - 1)]
                for _ in range(k)]
    return pick


def build(n, seed):
    rng = random.Random(seed)
    tlist = titles(rng, n)
    paths = [t.replace(" ", "_") for t in tlist]
    vocab = list(dict.fromkeys(WORDS))  # unique, order kept
    pick = zipf_picker(rng, vocab)
    rare_at = {}
    for w in RARE:
        for i in rng.sample(range(n), RARE_PER_WORD):
            rare_at.setdefault(i, []).append(w)
    images = [f"images/figure_{k}.png" for k in range(6)]
    doc_freq = {}
    articles = []
    for i in range(n):
        paras = []
        links = rng.sample(range(n), rng.randint(3, 8))
        words_left = rng.randint(150, 450)
        seen = set()
        while words_left > 0:
            sentences = []
            for _ in range(rng.randint(2, 5)):
                k = rng.randint(6, 18)
                ws = pick(k)
                seen.update(ws)
                s = " ".join(ws)
                sentences.append(s[0].upper() + s[1:] + ".")
                words_left -= k
            paras.append(" ".join(sentences))
        for w in rare_at.get(i, []):
            paras[rng.randrange(len(paras))] += f" On y parle aussi de {w}."
            seen.add(w)
        # Links woven into the paragraphs, as an encyclopaedia's are.
        for j in links:
            p = rng.randrange(len(paras))
            paras[p] += f' Voir <a href="{href(paths[j])}">{esc(tlist[j])}</a>.'
        body = "".join(f"<p>{p}</p>\n" for p in paras)
        if i % 40 == 7:
            img = images[i % len(images)]
            body = f'<figure><img src="{img}" alt="Figure"></figure>\n' + body
        for w in seen:
            doc_freq[w] = doc_freq.get(w, 0) + 1
        articles.append(Entry(paths[i], tlist[i], "text/html", page(tlist[i], body), True))
    holders = {}
    for i, ws in rare_at.items():
        for w in ws:
            holders.setdefault(w, []).append(paths[i])
    return tlist, paths, articles, images, doc_freq, holders


def pick_queries(doc_freq, n, tlist, holders):
    """Full-text queries with their article counts: frequent, two words, accented and the same
    word folded, rare, rare accented, and one that matches nothing."""
    def df(w):
        return doc_freq.get(w, 0)
    content = [w for w in doc_freq if len(w) >= 5 and w not in RARE]
    # The frequent and two-word queries are accent-free, so that a server that misses accents
    # is still measured on them; the accented ones come with their folded twin.
    plain = [w for w in content if fold(w) == w and "'" not in w]
    frequent = max(plain, key=df)
    second = sorted((w for w in plain if w != frequent), key=df)[len(plain) // 2]
    accented = [w for w in content if fold(w) != w and "œ" not in w]
    acc_mid = min(accented, key=lambda w: abs(df(w) - n // 10))  # in about 10% of articles
    queries = [
        {"label": "frequent word", "q": frequent, "articles": df(frequent)},
        {"label": "two words", "q": f"{frequent} {second}",
         "articles": None},  # both words: counted by the servers
        {"label": "accented word", "q": acc_mid, "articles": df(acc_mid)},
        {"label": "same word, accents left out", "q": fold(acc_mid), "articles": df(acc_mid)},
        {"label": "rare word", "q": "ornithorynque", "articles": df("ornithorynque"),
         "paths": sorted(holders["ornithorynque"])},
        {"label": "rare accented word", "q": "éphéméride", "articles": df("éphéméride"),
         "paths": sorted(holders["éphéméride"])},
        {"label": "word in no article", "q": "zzyzxquok", "articles": 0},
    ]
    # Title suggestions: prefixes of real titles, as typed.
    prefixes = [
        {"label": "accented capital", "q": "Éco"},
        {"label": "accented, longer", "q": "Rivière gl"},
        {"label": "accents left out", "q": "Riviere"},
        {"label": "lower case", "q": "chateau"},
        {"label": "one letter", "q": "M"},
        {"label": "œ ligature", "q": "Œuvre"},
        {"label": "whole title", "q": tlist[0]},
        {"label": "no title", "q": "Zzyzx"},
    ]
    return queries, prefixes


METADATA = {
    "Title": "Encyclopédie de banc d'essai",
    "Description": "Une encyclopédie française générée pour mesurer les serveurs de Cartable",
    "Language": "fra",
    "Creator": "Cartable",
    "Publisher": "Cartable benchmarks",
    "Date": "2026-12-07",
    "Name": "cartable_bench_fr_all",
    "Tags": "_category:other;_pictures:yes;_videos:no;_details:yes",
}


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="the ZIM file to write (OUT.json is written beside it)")
    ap.add_argument("--articles", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=18)
    args = ap.parse_args()
    if args.articles < 100:
        ap.error("--articles must be at least 100")
    out = os.path.abspath(args.out)
    meta_path = (out[:-4] if out.endswith(".zim") else out) + ".json"
    os.makedirs(os.path.dirname(out), exist_ok=True)
    if os.path.exists(out):
        os.unlink(out)  # libzim refuses to overwrite

    t0 = time.monotonic()
    tlist, paths, articles, images, doc_freq, holders = build(args.articles, args.seed)
    t_built = time.monotonic() - t0
    redirects = []
    for t, p in zip(tlist[:200], paths[:200]):
        if fold(p) != p and len(redirects) < 20:
            redirects.append((fold(p), fold(t), p))
    home = "".join(f'<li><a href="{href(p)}">{esc(t)}</a></li>\n'
                   for p, t in zip(paths[:500], tlist[:500]))
    main_page = page("Accueil", "<p>Bienvenue dans l'encyclopédie de banc d'essai.</p>\n"
                     f'<img src="{images[0]}" alt="logo">\n<ul>\n{home}</ul>')
    colours = [(200, 40, 40), (40, 160, 60), (40, 80, 200), (220, 180, 30), (120, 40, 160),
               (30, 160, 170)]

    with Creator(out).config_compression(Compression.zstd).config_indexing(True, "fra") \
            .config_verbose(False) as creator:
        creator.set_mainpath("Accueil")
        # First, before any item: see the deadlock note in the docstring.
        for name, value in METADATA.items():
            creator.add_metadata(name, value)
        creator.add_illustration(48, png(48, (40, 120, 200)))
        creator.add_item(Entry("Accueil", "Accueil", "text/html", main_page, True))
        creator.add_item(Entry("style.css", "", "text/css",
                               "body { font-family: serif; max-width: 50em; margin: auto; }\n"
                               "figure img { width: 8em; }\n", False))
        for img, rgb in zip(images, colours):
            creator.add_item(Entry(img, "", "image/png", png(64, rgb), False, compress=False))
        for a in articles:
            creator.add_item(a)
        for src, title, target in redirects:
            creator.add_redirection(src, title, target, {Hint.FRONT_ARTICLE: False})
    elapsed = time.monotonic() - t0
    size = os.path.getsize(out)

    queries, prefixes = pick_queries(doc_freq, args.articles, tlist, holders)
    info = {
        "zim": os.path.basename(out),
        "seed": args.seed,
        "count": args.articles,
        "main": "Accueil",
        "metadata": METADATA,
        "images": images,
        "redirects": [{"path": s, "title": t, "target": d} for s, t, d in redirects],
        "queries": queries,
        "prefixes": prefixes,
        "vocabulary": len(set(WORDS)) + len(RARE),
        # What a reader decompresses in all: the bound of a cache that kept every cluster.
        "html_bytes": sum(len(a.data.encode("utf-8")) for a in articles),
        "write_seconds": round(elapsed, 1),
        "size_bytes": size,
        "articles": [[p, t] for p, t in zip(paths, tlist)],
    }
    with open(meta_path, "w", encoding="utf-8") as f:
        json.dump(info, f, ensure_ascii=False, indent=0)
    print(f"make_library: {args.articles:,} articles, {size / 2 ** 20:.1f} MiB, "
          f"{elapsed:.1f} s ({t_built:.1f} s of text, the rest libzim) -> {out}, {meta_path}")


if __name__ == "__main__":
    main()
