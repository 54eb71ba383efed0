/* folio — synthetic patients for the demo database and the benchmarks
 * (include/folio/synth.h).
 *
 * Deterministic for a seed: xorshift64* seeded through splitmix64, no rand(),
 * no clock, no allocation.  Weighted tables are sampled through cumulative
 * sums built once (call_once).
 *
 * Surnames: about 92% plain, drawn from a head of ~250 common US surnames
 * weighted by their rough share per 100,000 people (Smith ~0.8%), the rest
 * from a long tail made of syllables whose ranks are drawn log-uniformly
 * (Zipf-like, ~1/rank) over [512, 2^20), so that a million people have tens
 * of thousands of distinct surnames; then ~3% accented (Muñoz, Nguyễn),
 * ~2% hyphenated (Smith-Jones, O'Brien-Muñoz), ~1.5% with an apostrophe
 * (O'Brien, one in ten typed with U+2019), ~1% with particles (de la Cruz),
 * ~0.5% in a non-Latin script (王, Иванов, Παπαδόπουλος, 김, حداد).
 * All names are made up or common words; SSNs use the never-issued 9xx
 * area, phones the 555 exchange.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <threads.h>

#include "folio/names.h"
#include "folio/synth.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Language groups: which language a name's bearer may prefer. */
enum lang {
	LG_EN, LG_ES, LG_VI, LG_ZH, LG_KO, LG_JA, LG_HI, LG_RU, LG_UK, LG_EL, LG_AR, LG_HE, LG_DE,
	LG_FR, LG_IT, LG_PL, LG_TL, LG_PT, LG_TR, LG_COUNT
};

static const char *const lang_name[LG_COUNT] = {
	"English", "Spanish", "Vietnamese", "Chinese", "Korean", "Japanese", "Hindi", "Russian",
	"Ukrainian", "Greek", "Arabic", "Hebrew", "German", "French", "Italian", "Polish", "Tagalog",
	"Portuguese", "Turkish",
};

/* Percent of a group's bearers who prefer its language (others: English). */
static const unsigned char lang_native_pct[LG_COUNT] = {
	0, 40, 45, 45, 40, 25, 15, 50, 45, 35, 45, 20, 3, 5, 3, 8, 15, 25, 20,
};

/* A name with a relative weight and a language group. */
struct sname {
	const char *s;
	unsigned short w;
	unsigned char lang;
};

/* A given name with a weight and a nickname (or NULL). */
struct gname {
	const char *s;
	unsigned short w;
	const char *nick;
};

#define G(s, w) { s, w, NULL }
#define GN(s, w, n) { s, w, n }

/* ---- surnames -------------------------------------------------------- */

/* The head: common US surnames, weight = rough bearers per 100,000. */
static const struct sname surname_head[] = {
	{ "Smith", 828, LG_EN }, { "Johnson", 655, LG_EN }, { "Williams", 550, LG_EN },
	{ "Brown", 487, LG_EN }, { "Jones", 483, LG_EN }, { "Garcia", 395, LG_ES },
	{ "Miller", 394, LG_EN }, { "Davis", 381, LG_EN }, { "Rodriguez", 375, LG_ES },
	{ "Martinez", 354, LG_ES }, { "Hernandez", 343, LG_ES }, { "Lopez", 301, LG_ES },
	{ "Gonzalez", 294, LG_ES }, { "Wilson", 283, LG_EN }, { "Anderson", 278, LG_EN },
	{ "Thomas", 270, LG_EN }, { "Taylor", 264, LG_EN }, { "Moore", 249, LG_EN },
	{ "Jackson", 247, LG_EN }, { "Martin", 237, LG_EN }, { "Lee", 229, LG_EN },
	{ "Perez", 227, LG_ES }, { "Thompson", 226, LG_EN }, { "White", 223, LG_EN },
	{ "Harris", 211, LG_EN }, { "Sanchez", 203, LG_ES }, { "Clark", 186, LG_EN },
	{ "Ramirez", 184, LG_ES }, { "Lewis", 177, LG_EN }, { "Robinson", 176, LG_EN },
	{ "Walker", 172, LG_EN }, { "Young", 160, LG_EN }, { "Allen", 157, LG_EN },
	{ "King", 156, LG_EN }, { "Wright", 155, LG_EN }, { "Scott", 145, LG_EN },
	{ "Torres", 145, LG_ES }, { "Nguyen", 143, LG_VI }, { "Hill", 143, LG_EN },
	{ "Flores", 141, LG_ES }, { "Green", 140, LG_EN }, { "Adams", 135, LG_EN },
	{ "Nelson", 134, LG_EN }, { "Baker", 133, LG_EN }, { "Hall", 130, LG_EN },
	{ "Rivera", 127, LG_ES }, { "Campbell", 122, LG_EN }, { "Mitchell", 121, LG_EN },
	{ "Carter", 118, LG_EN }, { "Roberts", 118, LG_EN }, { "Gomez", 110, LG_ES },
	{ "Phillips", 110, LG_EN }, { "Evans", 109, LG_EN }, { "Turner", 108, LG_EN },
	{ "Diaz", 107, LG_ES }, { "Parker", 105, LG_EN }, { "Cruz", 104, LG_ES },
	{ "Edwards", 104, LG_EN }, { "Collins", 103, LG_EN }, { "Reyes", 102, LG_ES },
	{ "Stewart", 101, LG_EN }, { "Morris", 99, LG_EN }, { "Morales", 98, LG_ES },
	{ "Murphy", 98, LG_EN }, { "Cook", 96, LG_EN }, { "Rogers", 96, LG_EN },
	{ "Gutierrez", 94, LG_ES }, { "Ortiz", 93, LG_ES }, { "Morgan", 93, LG_EN },
	{ "Cooper", 92, LG_EN }, { "Peterson", 92, LG_EN }, { "Bailey", 91, LG_EN },
	{ "Reed", 90, LG_EN }, { "Kelly", 89, LG_EN }, { "Howard", 88, LG_EN },
	{ "Ramos", 88, LG_ES }, { "Kim", 86, LG_KO }, { "Cox", 85, LG_EN },
	{ "Ward", 85, LG_EN }, { "Richardson", 85, LG_EN }, { "Watson", 83, LG_EN },
	{ "Brooks", 83, LG_EN }, { "Chavez", 83, LG_ES }, { "Wood", 82, LG_EN },
	{ "James", 82, LG_EN }, { "Bennett", 81, LG_EN }, { "Gray", 81, LG_EN },
	{ "Mendoza", 80, LG_ES }, { "Ruiz", 80, LG_ES }, { "Hughes", 79, LG_EN },
	{ "Price", 79, LG_EN }, { "Alvarez", 78, LG_ES }, { "Castillo", 78, LG_ES },
	{ "Sanders", 77, LG_EN }, { "Patel", 77, LG_HI }, { "Myers", 76, LG_EN },
	{ "Long", 76, LG_EN }, { "Ross", 76, LG_EN }, { "Foster", 75, LG_EN },
	{ "Jimenez", 75, LG_ES }, { "Powell", 74, LG_EN }, { "Jenkins", 73, LG_EN },
	{ "Perry", 73, LG_EN }, { "Russell", 72, LG_EN }, { "Sullivan", 71, LG_EN },
	{ "Bell", 71, LG_EN }, { "Coleman", 70, LG_EN }, { "Butler", 70, LG_EN },
	{ "Henderson", 69, LG_EN }, { "Barnes", 69, LG_EN }, { "Gonzales", 68, LG_ES },
	{ "Fisher", 68, LG_EN }, { "Vasquez", 67, LG_ES }, { "Simmons", 67, LG_EN },
	{ "Romero", 66, LG_ES }, { "Jordan", 66, LG_EN }, { "Patterson", 65, LG_EN },
	{ "Alexander", 65, LG_EN }, { "Hamilton", 65, LG_EN }, { "Graham", 64, LG_EN },
	{ "Reynolds", 64, LG_EN }, { "Griffin", 63, LG_EN }, { "Wallace", 63, LG_EN },
	{ "Moreno", 63, LG_ES }, { "West", 62, LG_EN }, { "Cole", 62, LG_EN },
	{ "Hayes", 61, LG_EN }, { "Bryant", 61, LG_EN }, { "Herrera", 60, LG_ES },
	{ "Gibson", 60, LG_EN }, { "Ellis", 60, LG_EN }, { "Tran", 59, LG_VI },
	{ "Medina", 59, LG_ES }, { "Aguilar", 58, LG_ES }, { "Stevens", 58, LG_EN },
	{ "Murray", 58, LG_EN }, { "Ford", 58, LG_EN }, { "Castro", 57, LG_ES },
	{ "Marshall", 57, LG_EN }, { "Owens", 57, LG_EN }, { "Harrison", 56, LG_EN },
	{ "Fernandez", 56, LG_ES }, { "McDonald", 56, LG_EN }, { "Woods", 55, LG_EN },
	{ "Washington", 55, LG_EN }, { "Kennedy", 55, LG_EN }, { "Wells", 54, LG_EN },
	{ "Vargas", 54, LG_ES }, { "Henry", 54, LG_EN }, { "Chen", 54, LG_ZH },
	{ "Freeman", 54, LG_EN }, { "Webb", 53, LG_EN }, { "Tucker", 53, LG_EN },
	{ "Guzman", 53, LG_ES }, { "Burns", 53, LG_EN }, { "Crawford", 53, LG_EN },
	{ "Olson", 52, LG_EN }, { "Simpson", 52, LG_EN }, { "Porter", 52, LG_EN },
	{ "Hunter", 52, LG_EN }, { "Gordon", 52, LG_EN }, { "Mendez", 51, LG_ES },
	{ "Silva", 51, LG_PT }, { "Shaw", 51, LG_EN }, { "Snyder", 51, LG_EN },
	{ "Mason", 50, LG_EN }, { "Dixon", 50, LG_EN }, { "Munoz", 50, LG_ES },
	{ "Hunt", 50, LG_EN }, { "Hicks", 50, LG_EN }, { "Holmes", 50, LG_EN },
	{ "Palmer", 49, LG_EN }, { "Wagner", 49, LG_DE }, { "Black", 49, LG_EN },
	{ "Robertson", 49, LG_EN }, { "Boyd", 49, LG_EN }, { "Rose", 48, LG_EN },
	{ "Stone", 48, LG_EN }, { "Salazar", 48, LG_ES }, { "Fox", 48, LG_EN },
	{ "Warren", 48, LG_EN }, { "Mills", 48, LG_EN }, { "Meyer", 48, LG_DE },
	{ "Rice", 47, LG_EN }, { "Schmidt", 47, LG_DE }, { "Garza", 47, LG_ES },
	{ "Daniels", 47, LG_EN }, { "Ferguson", 47, LG_EN }, { "Nichols", 47, LG_EN },
	{ "Stephens", 46, LG_EN }, { "Soto", 46, LG_ES }, { "Weaver", 46, LG_EN },
	{ "Ryan", 46, LG_EN }, { "Gardner", 46, LG_EN }, { "Payne", 46, LG_EN },
	{ "Grant", 46, LG_EN }, { "Dunn", 45, LG_EN }, { "Kelley", 45, LG_EN },
	{ "Spencer", 45, LG_EN }, { "Hawkins", 45, LG_EN }, { "Arnold", 45, LG_EN },
	{ "Pierce", 45, LG_EN }, { "Vazquez", 45, LG_ES }, { "Hansen", 44, LG_EN },
	{ "Peters", 44, LG_EN }, { "Santos", 44, LG_PT }, { "Hart", 44, LG_EN },
	{ "Bradley", 44, LG_EN }, { "Knight", 44, LG_EN }, { "Elliott", 44, LG_EN },
	{ "Cunningham", 44, LG_EN }, { "Duncan", 44, LG_EN }, { "Armstrong", 44, LG_EN },
	{ "Hudson", 43, LG_EN }, { "Carroll", 43, LG_EN }, { "Lane", 43, LG_EN },
	{ "Riley", 43, LG_EN }, { "Andrews", 43, LG_EN }, { "Alvarado", 43, LG_ES },
	{ "Ray", 43, LG_EN }, { "Delgado", 43, LG_ES }, { "Berry", 43, LG_EN },
	{ "Perkins", 42, LG_EN }, { "Hoffman", 42, LG_EN }, { "Johnston", 42, LG_EN },
	{ "Matthews", 42, LG_EN }, { "Pena", 42, LG_ES }, { "Richards", 42, LG_EN },
	{ "Contreras", 42, LG_ES }, { "Willis", 42, LG_EN }, { "Carpenter", 41, LG_EN },
	{ "Lawrence", 41, LG_EN }, { "Sandoval", 41, LG_ES }, { "Wang", 40, LG_ZH },
	{ "Singh", 35, LG_HI }, { "Le", 35, LG_VI }, { "Wong", 30, LG_ZH },
	{ "Li", 30, LG_ZH }, { "Park", 30, LG_KO }, { "Pham", 26, LG_VI },
	{ "Zhang", 25, LG_ZH }, { "Liu", 25, LG_ZH }, { "Lin", 20, LG_ZH },
	{ "Chan", 20, LG_ZH }, { "Yang", 20, LG_ZH }, { "Shah", 20, LG_HI },
	{ "Huang", 18, LG_ZH }, { "Kumar", 18, LG_HI }, { "Guerrero", 40, LG_ES },
	{ "Rios", 38, LG_ES }, { "Estrada", 37, LG_ES }, { "Ortega", 37, LG_ES },
	{ "Nunez", 36, LG_ES }, { "Maldonado", 35, LG_ES }, { "Dominguez", 35, LG_ES },
	{ "Vega", 35, LG_ES }, { "Espinoza", 34, LG_ES }, { "Rojas", 33, LG_ES },
	{ "Marquez", 33, LG_ES }, { "Padilla", 33, LG_ES }, { "Acosta", 32, LG_ES },
	{ "Cabrera", 31, LG_ES }, { "Becker", 30, LG_DE }, { "Schneider", 30, LG_DE },
	{ "Schultz", 30, LG_DE }, { "Koch", 22, LG_DE }, { "Russo", 20, LG_IT },
	{ "Romano", 18, LG_IT }, { "Kowalski", 18, LG_PL }, { "Nowak", 14, LG_PL },
	{ "Cohen", 30, LG_EN }, { "Levy", 14, LG_EN }, { "Khan", 20, LG_AR },
	{ "Ali", 18, LG_AR }, { "Ahmed", 16, LG_AR }, { "Tanaka", 8, LG_JA },
};

/* The long tail: syllable families.  A tail rank picks a family and parts. */
static const char *const en_pre[] = {
	"Ash", "Brad", "Brook", "Bur", "Cal", "Car", "Chat", "Craw", "Dal", "Dar", "East",
	"Ells", "Fair", "Fen", "Gar", "Glad", "Hal", "Har", "Hart", "Hol", "Kent", "Lang",
	"Mar", "Mel", "Mor", "Nor", "Ock", "Pen", "Ray", "Red", "Ross", "Rut", "Sand", "Shel",
	"Stan", "Stock", "Sut", "Thorn", "Wad", "Wal", "War", "Wes", "Whit", "Win", "Wood",
	"Wyn", "Black", "Brig", "Clay", "Cot", "Dun", "Elm", "Fox", "Gold", "Grims", "Hay",
	"Kings", "Lock", "Mid", "New", "Old", "Pem", "Red", "Sel", "Stam", "Tal", "Ux", "Ver",
	"Bar", "Bran", "Chil", "Dray", "Ever", "Firth", "Hamp", "Hux", "Lyn", "Rich",
};
static const char *const en_mid[] = { "", "", "", "", "", "er", "en", "s", "el", "in" };
static const char *const en_suf[] = {
	"ton", "ley", "ford", "wood", "field", "by", "well", "more", "worth", "son", "ham",
	"dale", "man", "stead", "bury", "combe", "hurst", "ridge", "land", "wick", "low", "er",
	"s", "den", "brook", "church", "cott", "gate", "shaw", "thorpe", "way", "win", "ey",
	"ington", "ridge", "lake", "stone", "ward", "ell", "ock",
};
static const char *const de_pre[] = {
	"Acker", "Alt", "Bau", "Baum", "Berg", "Brau", "Eichen", "Fisch", "Gold", "Gross",
	"Hart", "Hoch", "Hof", "Kauf", "Klein", "Kranz", "Lich", "Lind", "Neu", "Ober", "Rein",
	"Rosen", "Schwarz", "Stein", "Stern", "Wein", "Weiss", "Wolf", "Zimmer", "Eisen",
	"Feld", "Horn", "Kessel", "Linden", "Mittel", "Schon", "Sonnen", "Tann", "Wald",
};
static const char *const de_suf[] = {
	"mann", "berg", "stein", "feld", "baum", "burg", "hardt", "er", "hof", "bach", "thal",
	"dorf", "ner", "ler", "inger", "hauser", "heim", "meier", "reiter", "wald",
};
static const char *const es_pre[] = {
	"Al", "Bel", "Cal", "Can", "Car", "Cas", "Cer", "Es", "Fi", "Gal", "Her", "Iba", "Lo",
	"Mal", "Mar", "Mir", "Mon", "Nav", "Ol", "Pa", "Pas", "Que", "Ro", "San", "Sal", "Ser",
	"Ta", "Val", "Ver", "Vi", "Za", "Ar", "Bar", "Cor", "Du", "Ga", "Le", "Me", "Or", "Pi",
};
static const char *const es_mid[] = { "", "", "a", "ar", "ed", "er", "ol", "an", "ab", "ri" };
static const char *const es_suf[] = {
	"ez", "ado", "ero", "illo", "ana", "eda", "ales", "uel", "ino", "iz", "anda", "arro",
	"eros", "oza", "uera", "ejo", "ente", "oya", "uez", "ica",
};
static const char *const it_pre[] = {
	"Bel", "Ben", "Bon", "Cap", "Car", "Cas", "Cor", "Fal", "Fer", "Gal", "Gian", "Lom",
	"Mar", "Mon", "Pal", "Pel", "Ros", "Russ", "Sal", "San", "Tor", "Val", "Ver", "Vit",
	"Bian", "Colom", "Gior", "Marc", "Ric", "Spin",
};
static const char *const it_suf[] = {
	"elli", "ini", "etti", "ucci", "ano", "ato", "one", "ese", "otti", "ardi", "ieri",
	"occhi", "ella", "ino", "ari", "enzo",
};
static const char *const pl_pre[] = {
	"Bar", "Bor", "Dab", "Gor", "Jab", "Kal", "Kow", "Koz", "Kra", "Lew", "Maj", "Mal",
	"Nov", "Ost", "Pav", "Pet", "Rad", "Sob", "Sok", "Stan", "Szym", "Wal", "Wis", "Zaj",
	"Zel", "Bog", "Dub", "Grab", "Lis", "Mich",
};
static const char *const pl_suf[] = {
	"ski", "czyk", "ak", "ek", "ovich", "enko", "ov", "ic", "iak", "owski", "ewicz",
	"insky", "uk", "evic", "ova",
};
static const char *const ga_stem[] = {
	"Allister", "Arthur", "Bride", "Cabe", "Cann", "Carthy", "Clure", "Cormick", "Daniel",
	"Dermott", "Donough", "Dowell", "Elroy", "Farland", "Gee", "Gill", "Govern", "Grath",
	"Guire", "Intyre", "Kay", "Kenna", "Kinley", "Laughlin", "Lean", "Leod", "Mahon",
	"Millan", "Nally", "Namara", "Neil", "Pherson", "Quillan", "Rae", "Shane", "Sweeney",
	"Tavish", "Vey", "Kenzie", "Kinnon", "Callum", "Gregor", "Innes", "Lachlan",
};
static const char *const ga_pre[] = {
	"Bren", "Call", "Con", "Dol", "Don", "Fla", "Gal", "Hal", "Kea", "Kin", "Mul", "Nol",
	"Quin", "Scan", "Sher", "Tier", "Dug", "Fin", "Mor", "Rod",
};
static const char *const ga_suf[] = {
	"an", "ahan", "igan", "ey", "ane", "nan", "lon", "lin", "ery", "ahy", "ogue", "ihan",
};
static const char *const sv_pre[] = {
	"Ander", "Berg", "Carl", "Dahl", "Ek", "Gus", "Han", "Hol", "Jo", "Lars", "Lind",
	"Lund", "Niel", "Ol", "Pet", "Sven", "Sjo", "Ny", "Ros", "Strand", "Ahl", "Fors",
};
static const char *const sv_suf[] = {
	"son", "sen", "gren", "strom", "quist", "berg", "dahl", "lund", "beck", "holm", "by",
	"stad",
};
static const char *const hi_pre[] = {
	"Agar", "Bhat", "Chand", "Desh", "Gup", "Ja", "Kap", "Kri", "Mal", "Meh", "Nar", "Pra",
	"Raj", "Sar", "Shar", "Sri", "Ven", "Iyer", "Bal", "Sub",
};
static const char *const hi_suf[] = {
	"wal", "ta", "ra", "ani", "ar", "an", "pande", "esh", "kar", "nathan", "iah", "ma",
};
static const struct sname asia_tail[] = {
	{ "Zhao", 1, LG_ZH }, { "Wu", 1, LG_ZH }, { "Zhou", 1, LG_ZH }, { "Xu", 1, LG_ZH },
	{ "Sun", 1, LG_ZH }, { "Ma", 1, LG_ZH }, { "Zhu", 1, LG_ZH }, { "Hu", 1, LG_ZH },
	{ "Guo", 1, LG_ZH }, { "He", 1, LG_ZH }, { "Luo", 1, LG_ZH }, { "Gao", 1, LG_ZH },
	{ "Liang", 1, LG_ZH }, { "Zheng", 1, LG_ZH }, { "Xie", 1, LG_ZH }, { "Song", 1, LG_ZH },
	{ "Tang", 1, LG_ZH }, { "Feng", 1, LG_ZH }, { "Deng", 1, LG_ZH }, { "Cao", 1, LG_ZH },
	{ "Peng", 1, LG_ZH }, { "Zeng", 1, LG_ZH }, { "Xiao", 1, LG_ZH }, { "Tian", 1, LG_ZH },
	{ "Dong", 1, LG_ZH }, { "Pan", 1, LG_ZH }, { "Yuan", 1, LG_ZH }, { "Cai", 1, LG_ZH },
	{ "Jiang", 1, LG_ZH }, { "Yu", 1, LG_ZH }, { "Du", 1, LG_ZH }, { "Ye", 1, LG_ZH },
	{ "Cheng", 1, LG_ZH }, { "Wei", 1, LG_ZH }, { "Su", 1, LG_ZH }, { "Lu", 1, LG_ZH },
	{ "Ding", 1, LG_ZH }, { "Shen", 1, LG_ZH }, { "Yao", 1, LG_ZH }, { "Fong", 1, LG_ZH },
	{ "Hoang", 1, LG_VI }, { "Phan", 1, LG_VI }, { "Vu", 1, LG_VI }, { "Vo", 1, LG_VI },
	{ "Dang", 1, LG_VI }, { "Bui", 1, LG_VI }, { "Do", 1, LG_VI }, { "Ho", 1, LG_VI },
	{ "Ngo", 1, LG_VI }, { "Duong", 1, LG_VI }, { "Ly", 1, LG_VI }, { "Truong", 1, LG_VI },
	{ "Choi", 1, LG_KO }, { "Jung", 1, LG_KO }, { "Kang", 1, LG_KO }, { "Cho", 1, LG_KO },
	{ "Yoon", 1, LG_KO }, { "Jang", 1, LG_KO }, { "Lim", 1, LG_KO }, { "Han", 1, LG_KO },
	{ "Oh", 1, LG_KO }, { "Seo", 1, LG_KO }, { "Shin", 1, LG_KO }, { "Kwon", 1, LG_KO },
	{ "Hwang", 1, LG_KO }, { "Ahn", 1, LG_KO }, { "Yoo", 1, LG_KO }, { "Hong", 1, LG_KO },
	{ "Suzuki", 1, LG_JA }, { "Watanabe", 1, LG_JA }, { "Ito", 1, LG_JA },
	{ "Yamamoto", 1, LG_JA }, { "Nakamura", 1, LG_JA }, { "Kobayashi", 1, LG_JA },
	{ "Kato", 1, LG_JA }, { "Yoshida", 1, LG_JA }, { "Yamada", 1, LG_JA },
	{ "Sasaki", 1, LG_JA }, { "Matsumoto", 1, LG_JA }, { "Inoue", 1, LG_JA },
	{ "Kimura", 1, LG_JA }, { "Hayashi", 1, LG_JA }, { "Shimizu", 1, LG_JA },
	{ "Bautista", 1, LG_TL }, { "Villanueva", 1, LG_TL }, { "Mercado", 1, LG_TL },
	{ "Aquino", 1, LG_TL }, { "Manalo", 1, LG_TL }, { "Macaraeg", 1, LG_TL },
};

/* Accented surnames (about 3% of people). */
static const struct sname surname_accent[] = {
	{ "Mu\xC3\xB1oz", 10, LG_ES }, { "Pe\xC3\xB1" "a", 8, LG_ES },
	{ "N\xC3\xBA\xC3\xB1" "ez", 6, LG_ES }, { "Nu\xC3\xB1" "ez", 4, LG_ES },
	{ "G\xC3\xB3mez", 8, LG_ES }, { "Hern\xC3\xA1ndez", 8, LG_ES },
	{ "Rodr\xC3\xADguez", 8, LG_ES }, { "Garc\xC3\xAD" "a", 8, LG_ES },
	{ "Mart\xC3\xADnez", 7, LG_ES }, { "L\xC3\xB3pez", 7, LG_ES },
	{ "Gonz\xC3\xA1lez", 7, LG_ES }, { "P\xC3\xA9rez", 6, LG_ES },
	{ "S\xC3\xA1nchez", 6, LG_ES }, { "Ram\xC3\xADrez", 5, LG_ES },
	{ "Jim\xC3\xA9nez", 4, LG_ES }, { "Guti\xC3\xA9rrez", 4, LG_ES },
	{ "\xC3\x81lvarez", 4, LG_ES }, { "Fern\xC3\xA1ndez", 4, LG_ES },
	{ "V\xC3\xA1squez", 3, LG_ES }, { "Dom\xC3\xADnguez", 3, LG_ES },
	{ "M\xC3\xA9ndez", 3, LG_ES }, { "Ib\xC3\xA1\xC3\xB1" "ez", 2, LG_ES },
	{ "Ord\xC3\xB3\xC3\xB1" "ez", 2, LG_ES }, { "Casta\xC3\xB1" "eda", 3, LG_ES },
	{ "Avil\xC3\xA9s", 1, LG_ES }, { "Monta\xC3\xB1o", 1, LG_ES },
	{ "M\xC3\xBCller", 4, LG_DE }, { "Schr\xC3\xB6" "der", 2, LG_DE },
	{ "Sch\xC3\xA4" "fer", 2, LG_DE }, { "K\xC3\xB6hler", 1, LG_DE },
	{ "J\xC3\xA4ger", 1, LG_DE }, { "Gro\xC3\x9F", 1, LG_DE },
	{ "S\xC3\xB8rensen", 2, LG_EN }, { "S\xC3\xB8ndergaard", 1, LG_EN },
	{ "\xC3\x85ngstr\xC3\xB6m", 1, LG_EN }, { "Dvo\xC5\x99\xC3\xA1k", 1, LG_EN },
	{ "Nov\xC3\xA1kov\xC3\xA1", 1, LG_EN }, { "\xC5\x81ukasiewicz", 1, LG_PL },
	{ "Wi\xC5\x9Bniewski", 2, LG_PL }, { "W\xC3\xB3jcik", 1, LG_PL },
	{ "\xC3\x87" "elik", 1, LG_TR }, { "Y\xC4\xB1lmaz", 1, LG_TR },
	{ "\xC3\x96zt\xC3\xBCrk", 1, LG_TR }, { "Lef\xC3\xA8vre", 1, LG_FR },
	{ "B\xC3\xA9langer", 1, LG_FR }, { "C\xC3\xB4t\xC3\xA9", 2, LG_FR },
	{ "Gagn\xC3\xA9", 1, LG_FR }, { "H\xC3\xA9" "bert", 1, LG_FR },
	{ "Nguy\xE1\xBB\x85n", 4, LG_VI }, { "Tr\xE1\xBA\xA7n", 2, LG_VI },
	{ "Ph\xE1\xBA\xA1m", 1, LG_VI }, { "L\xC3\xAA", 1, LG_VI },
	{ "\xC4\x90\xE1\xBA\xB7ng", 1, LG_VI }, { "\xC3\x9E\xC3\xB3rsson", 1, LG_EN },
	{ "\xC4\x90or\xC4\x91" "evi\xC4\x87", 1, LG_EN }, { "Gon\xC3\xA7" "alves", 2, LG_PT },
	{ "Concei\xC3\xA7\xC3\xA3o", 1, LG_PT }, { "Bront\xC3\xAB", 1, LG_EN },
};

/* Surnames with an apostrophe (about 1.5%). */
static const struct sname surname_apos[] = {
	{ "O'Brien", 12, LG_EN }, { "O'Connor", 10, LG_EN }, { "O'Neill", 9, LG_EN },
	{ "O'Malley", 5, LG_EN }, { "O'Reilly", 6, LG_EN }, { "O'Sullivan", 5, LG_EN },
	{ "O'Donnell", 5, LG_EN }, { "O'Hara", 4, LG_EN }, { "O'Connell", 4, LG_EN },
	{ "O'Keefe", 3, LG_EN }, { "O'Leary", 3, LG_EN }, { "O'Rourke", 3, LG_EN },
	{ "O'Toole", 2, LG_EN }, { "D'Angelo", 5, LG_IT }, { "D'Amico", 3, LG_IT },
	{ "D'Souza", 3, LG_HI }, { "D'Agostino", 2, LG_IT }, { "Dell'Aquila", 1, LG_IT },
	{ "N'Diaye", 1, LG_FR }, { "D'Arcy", 1, LG_EN },
};

/* Surnames with particles (about 1%), as people write them. */
static const struct sname surname_particle[] = {
	{ "de la Cruz", 6, LG_ES }, { "De La Cruz", 3, LG_ES }, { "de la Rosa", 4, LG_ES },
	{ "De Leon", 4, LG_ES }, { "de los Santos", 3, LG_ES }, { "del Rio", 3, LG_ES },
	{ "Del Toro", 2, LG_ES }, { "De Jesus", 5, LG_ES }, { "de Le\xC3\xB3n", 2, LG_ES },
	{ "da Silva", 3, LG_PT }, { "dos Santos", 2, LG_PT }, { "van der Berg", 2, LG_EN },
	{ "Van Buren", 2, LG_EN }, { "Van Dyke", 3, LG_EN }, { "Van Horn", 2, LG_EN },
	{ "van den Broek", 1, LG_EN }, { "von Braun", 1, LG_DE }, { "De Luca", 2, LG_IT },
	{ "Di Salvo", 1, LG_IT }, { "Le Blanc", 2, LG_FR }, { "La Rosa", 2, LG_IT },
	{ "St. John", 2, LG_EN }, { "St. Clair", 1, LG_EN }, { "ten Brink", 1, LG_EN },
	{ "Mac Donald", 1, LG_EN }, { "Dela Pe\xC3\xB1" "a", 1, LG_TL },
};

/* Names in other scripts (about 0.5%): surname (male, female form) and a
 * given name of each sex. */
struct native {
	unsigned char lang;
	const char *last_m, *last_f, *first_m, *first_f;
};

static const struct native surname_native[] = {
	{ LG_ZH, "\xE7\x8E\x8B", "\xE7\x8E\x8B", "\xE4\xBC\x9F", "\xE8\x8A\xB3" },
	{ LG_ZH, "\xE6\x9D\x8E", "\xE6\x9D\x8E", "\xE5\xBC\xBA", "\xE5\xA8\x9C" },
	{ LG_ZH, "\xE5\xBC\xA0", "\xE5\xBC\xA0", "\xE7\xA3\x8A", "\xE7\xA7\x80\xE8\x8B\xB1" },
	{ LG_ZH, "\xE5\x88\x98", "\xE5\x88\x98", "\xE6\xB4\x8B", "\xE6\x95\x8F" },
	{ LG_ZH, "\xE9\x99\x88", "\xE9\x99\x88", "\xE6\x9D\xB0", "\xE9\x9D\x99" },
	{ LG_ZH, "\xE9\xBB\x84", "\xE9\xBB\x84", "\xE5\x86\x9B", "\xE8\x89\xB3" },
	{ LG_KO, "\xEA\xB9\x80", "\xEA\xB9\x80", "\xEB\xAF\xBC\xEC\xA4\x80", "\xEC\x84\x9C\xEC\x97\xB0" },
	{ LG_KO, "\xEC\x9D\xB4", "\xEC\x9D\xB4", "\xEC\xA7\x80\xED\x9B\x88", "\xEC\xA7\x80\xEB\xAF\xBC" },
	{ LG_KO, "\xEB\xB0\x95", "\xEB\xB0\x95", "\xED\x98\x84\xEC\x9A\xB0", "\xEC\x88\x98\xEB\xB9\x88" },
	{ LG_JA, "\xE7\x94\xB0\xE4\xB8\xAD", "\xE7\x94\xB0\xE4\xB8\xAD", "\xE5\x81\xA5\xE5\xA4\xAA",
	  "\xE8\x8A\xB1\xE5\xAD\x90" },
	{ LG_JA, "\xE4\xBD\x90\xE8\x97\xA4", "\xE4\xBD\x90\xE8\x97\xA4", "\xE7\xBF\x94",
	  "\xE7\xBE\x8E\xE5\x92\xB2" },
	{ LG_JA, "\xE9\x88\xB4\xE6\x9C\xA8", "\xE9\x88\xB4\xE6\x9C\xA8", "\xE5\xA4\xA7\xE8\xBC\x94",
	  "\xE9\x99\xBD\xE5\xAD\x90" },
	{ LG_RU, "\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD\xD0\xBE\xD0\xB2",
	  "\xD0\x98\xD0\xB2\xD0\xB0\xD0\xBD\xD0\xBE\xD0\xB2\xD0\xB0",
	  "\xD0\xA1\xD0\xB5\xD1\x80\xD0\xB3\xD0\xB5\xD0\xB9", "\xD0\x9E\xD0\xBB\xD1\x8C\xD0\xB3\xD0\xB0" },
	{ LG_RU, "\xD0\xA1\xD0\xBC\xD0\xB8\xD1\x80\xD0\xBD\xD0\xBE\xD0\xB2",
	  "\xD0\xA1\xD0\xBC\xD0\xB8\xD1\x80\xD0\xBD\xD0\xBE\xD0\xB2\xD0\xB0",
	  "\xD0\x90\xD0\xBB\xD0\xB5\xD0\xBA\xD1\x81\xD0\xB5\xD0\xB9",
	  "\xD0\x9D\xD0\xB0\xD1\x82\xD0\xB0\xD0\xBB\xD1\x8C\xD1\x8F" },
	{ LG_RU, "\xD0\x9A\xD1\x83\xD0\xB7\xD0\xBD\xD0\xB5\xD1\x86\xD0\xBE\xD0\xB2",
	  "\xD0\x9A\xD1\x83\xD0\xB7\xD0\xBD\xD0\xB5\xD1\x86\xD0\xBE\xD0\xB2\xD0\xB0",
	  "\xD0\x94\xD0\xBC\xD0\xB8\xD1\x82\xD1\x80\xD0\xB8\xD0\xB9", "\xD0\x95\xD0\xBB\xD0\xB5\xD0\xBD\xD0\xB0" },
	{ LG_UK, "\xD0\xA8\xD0\xB5\xD0\xB2\xD1\x87\xD0\xB5\xD0\xBD\xD0\xBA\xD0\xBE",
	  "\xD0\xA8\xD0\xB5\xD0\xB2\xD1\x87\xD0\xB5\xD0\xBD\xD0\xBA\xD0\xBE",
	  "\xD0\x9E\xD0\xBB\xD0\xB5\xD0\xBA\xD1\x81\xD0\xB0\xD0\xBD\xD0\xB4\xD1\x80",
	  "\xD0\xAE\xD0\xBB\xD1\x96\xD1\x8F" },
	{ LG_EL, "\xCE\xA0\xCE\xB1\xCF\x80\xCE\xB1\xCE\xB4\xCF\x8C\xCF\x80\xCE\xBF\xCF\x85\xCE\xBB\xCE\xBF\xCF\x82",
	  "\xCE\xA0\xCE\xB1\xCF\x80\xCE\xB1\xCE\xB4\xCE\xBF\xCF\x80\xCE\xBF\xCF\x8D\xCE\xBB\xCE\xBF\xCF\x85",
	  "\xCE\x93\xCE\xB9\xCF\x8E\xCF\x81\xCE\xB3\xCE\xBF\xCF\x82", "\xCE\x9C\xCE\xB1\xCF\x81\xCE\xAF\xCE\xB1" },
	{ LG_EL, "\xCE\x93\xCE\xB5\xCF\x89\xCF\x81\xCE\xB3\xCE\xAF\xCE\xBF\xCF\x85",
	  "\xCE\x93\xCE\xB5\xCF\x89\xCF\x81\xCE\xB3\xCE\xAF\xCE\xBF\xCF\x85",
	  "\xCE\x9D\xCE\xAF\xCE\xBA\xCE\xBF\xCF\x82", "\xCE\x95\xCE\xBB\xCE\xAD\xCE\xBD\xCE\xB7" },
	{ LG_AR, "\xD8\xAD\xD8\xAF\xD8\xA7\xD8\xAF", "\xD8\xAD\xD8\xAF\xD8\xA7\xD8\xAF",
	  "\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF", "\xD9\x81\xD8\xA7\xD8\xB7\xD9\x85\xD8\xA9" },
	{ LG_AR, "\xD9\x85\xD9\x86\xD8\xB5\xD9\x88\xD8\xB1", "\xD9\x85\xD9\x86\xD8\xB5\xD9\x88\xD8\xB1",
	  "\xD8\xB9\xD9\x84\xD9\x8A", "\xD9\x85\xD8\xB1\xD9\x8A\xD9\x85" },
	{ LG_HE, "\xD7\x9B\xD7\x94\xD7\x9F", "\xD7\x9B\xD7\x94\xD7\x9F", "\xD7\x93\xD7\x95\xD7\x93",
	  "\xD7\xA9\xD7\xA8\xD7\x94" },
	{ LG_HI, "\xE0\xA4\xB6\xE0\xA4\xB0\xE0\xA5\x8D\xE0\xA4\xAE\xE0\xA4\xBE",
	  "\xE0\xA4\xB6\xE0\xA4\xB0\xE0\xA5\x8D\xE0\xA4\xAE\xE0\xA4\xBE",
	  "\xE0\xA4\xB0\xE0\xA4\xBE\xE0\xA4\xB9\xE0\xA5\x81\xE0\xA4\xB2",
	  "\xE0\xA4\xAA\xE0\xA5\x8D\xE0\xA4\xB0\xE0\xA4\xBF\xE0\xA4\xAF\xE0\xA4\xBE" },
};

/* ---- given names ----------------------------------------------------- */

static const struct gname given_f[] = {
	G("Mary", 300), GN("Patricia", 170, "Pat"), GN("Jennifer", 150, "Jen"), G("Linda", 140),
	GN("Elizabeth", 140, "Liz"), GN("Barbara", 130, "Barb"), GN("Susan", 120, "Sue"),
	G("Jessica", 110), G("Sarah", 110), G("Karen", 100), G("Lisa", 100), G("Nancy", 95),
	G("Betty", 90), G("Sandra", 85), GN("Margaret", 85, "Peggy"), G("Ashley", 85),
	GN("Kimberly", 80, "Kim"), G("Emily", 80), G("Donna", 75), G("Michelle", 75),
	G("Carol", 70), GN("Amanda", 70, "Mandy"), G("Melissa", 68), GN("Deborah", 66, "Debbie"),
	G("Stephanie", 65), GN("Dorothy", 64, "Dot"), GN("Rebecca", 62, "Becky"), G("Sharon", 60),
	G("Laura", 60), GN("Cynthia", 58, "Cindy"), G("Amy", 56), GN("Kathleen", 55, "Kathy"),
	G("Angela", 55), G("Shirley", 52), G("Brenda", 50), G("Emma", 50), G("Anna", 50),
	GN("Pamela", 48, "Pam"), G("Nicole", 48), GN("Samantha", 46, "Sam"),
	GN("Katherine", 46, "Kate"), GN("Christine", 44, "Chris"), G("Helen", 44), G("Debra", 43),
	G("Rachel", 43), G("Carolyn", 42), G("Janet", 42), G("Maria", 60), G("Catherine", 40),
	G("Heather", 40), G("Diane", 40), G("Olivia", 40), G("Julie", 38), G("Joyce", 38),
	GN("Victoria", 36, "Vicky"), G("Ruth", 36), G("Virginia", 35), G("Lauren", 35),
	G("Kelly", 34), G("Christina", 34), G("Joan", 33), G("Evelyn", 33),
	GN("Judith", 32, "Judy"), G("Andrea", 32), G("Hannah", 32), G("Megan", 31), G("Cheryl", 30),
	GN("Jacqueline", 30, "Jackie"), G("Martha", 30), G("Madison", 30), G("Teresa", 29),
	G("Gloria", 29), G("Sara", 28), G("Janice", 28), G("Ann", 28), G("Kathryn", 27),
	GN("Abigail", 27, "Abby"), G("Sophia", 27), G("Frances", 26), G("Jean", 26), G("Alice", 26),
	G("Judy", 25), G("Isabella", 25), G("Julia", 25), G("Grace", 25), G("Amber", 24),
	G("Denise", 24), G("Danielle", 24), G("Marilyn", 23), G("Beverly", 23), G("Charlotte", 23),
	G("Natalie", 22), GN("Theresa", 22, "Terri"), G("Diana", 22), G("Brittany", 22),
	G("Doris", 21), G("Kayla", 21), G("Alexis", 20), G("Lori", 20), G("Ava", 20), G("Mia", 20),
	G("Aaliyah", 12), G("Zoe", 10), G("Zo\xC3\xAB", 6), G("Ren\xC3\xA9" "e", 5),
	G("Chloe", 10), G("Chlo\xC3\xA9", 3), G("Siobh\xC3\xA1n", 2), G("No\xC3\xA9mie", 1),
	G("Ana\xC3\xAFs", 1), G("Mai", 5), G("Linh", 5), G("Mei", 4), G("Priya", 4),
	G("Ji-woo", 2), G("Mary-Kate", 2), G("Anne-Marie", 3), G("Fatima", 4),
};

static const struct gname given_m[] = {
	GN("James", 330, "Jim"), GN("Robert", 320, "Bob"), G("John", 310),
	GN("Michael", 300, "Mike"), GN("David", 240, "Dave"), GN("William", 230, "Bill"),
	GN("Richard", 190, "Rick"), GN("Joseph", 180, "Joe"), GN("Thomas", 160, "Tom"),
	GN("Christopher", 150, "Chris"), GN("Charles", 140, "Chuck"), GN("Daniel", 140, "Dan"),
	GN("Matthew", 120, "Matt"), GN("Anthony", 110, "Tony"), G("Mark", 110),
	GN("Donald", 100, "Don"), GN("Steven", 95, "Steve"), GN("Andrew", 90, "Andy"),
	G("Paul", 90), GN("Joshua", 85, "Josh"), GN("Kenneth", 80, "Ken"), G("Kevin", 80),
	G("Brian", 80), G("George", 78), GN("Timothy", 70, "Tim"), GN("Ronald", 70, "Ron"),
	G("Jason", 68), GN("Edward", 66, "Ed"), GN("Jeffrey", 65, "Jeff"), G("Ryan", 60),
	GN("Jacob", 60, "Jake"), G("Gary", 58), GN("Nicholas", 56, "Nick"), G("Eric", 55),
	GN("Jonathan", 55, "Jon"), G("Stephen", 52), G("Larry", 50), G("Justin", 48), G("Scott", 48),
	G("Brandon", 46), GN("Benjamin", 46, "Ben"), GN("Samuel", 44, "Sam"),
	GN("Gregory", 43, "Greg"), GN("Alexander", 43, "Alex"), GN("Patrick", 42, "Pat"),
	G("Frank", 42), GN("Raymond", 40, "Ray"), G("Jack", 40), G("Dennis", 38), G("Jerry", 38),
	G("Tyler", 36), G("Aaron", 36), G("Jose", 45), GN("Jos\xC3\xA9", 20, "Pepe"), G("Adam", 34),
	GN("Nathan", 34, "Nate"), G("Henry", 34), GN("Zachary", 32, "Zach"),
	GN("Douglas", 32, "Doug"), G("Peter", 32), G("Kyle", 30), G("Noah", 30), G("Ethan", 30),
	G("Jeremy", 29), G("Walter", 29), G("Christian", 28), G("Keith", 28), G("Roger", 28),
	G("Terry", 27), G("Austin", 27), G("Sean", 27), G("Se\xC3\xA1n", 2),
	GN("Gerald", 26, "Jerry"), G("Carl", 26), G("Harold", 25), G("Dylan", 25), G("Arthur", 25),
	GN("Lawrence", 24, "Larry"), G("Jordan", 24), G("Jesse", 24), G("Bryan", 23), G("Billy", 23),
	G("Bruce", 23), G("Gabriel", 22), G("Joe", 22), G("Logan", 22), G("Alan", 21), G("Juan", 30),
	G("Albert", 21), G("Willie", 20), G("Elijah", 20), G("Wayne", 20), G("Randy", 19),
	G("Vincent", 19), G("Mason", 19), G("Roy", 19), G("Ralph", 18), G("Bobby", 18),
	G("Russell", 18), GN("Bradley", 18, "Brad"), GN("Philip", 18, "Phil"), G("Eugene", 17),
	G("Liam", 17), G("Luis", 25), G("Carlos", 25), G("Jes\xC3\xBAs", 6), G("Andr\xC3\xA9", 4),
	G("Ren\xC3\xA9", 3), G("S\xC3\xB8ren", 1), G("Bj\xC3\xB6rn", 1), G("J\xC3\xBCrgen", 1),
	G("Fran\xC3\xA7ois", 1), G("Minh", 5), G("Wei", 4), G("Raj", 4), G("Min-jun", 2),
	G("Jean-Luc", 1), G("Mohammed", 5),
};

/* Given names more common among Spanish-speaking families. */
static const struct gname given_f_es[] = {
	G("Mar\xC3\xAD" "a", 30), G("Maria", 40), G("Guadalupe", 15), G("Ana", 20),
	G("Sof\xC3\xAD" "a", 8), G("Sofia", 10), G("Juana", 8), G("Rosa", 12), G("Carmen", 12),
	G("Ver\xC3\xB3nica", 5), G("Veronica", 8), G("Yesenia", 6), G("M\xC3\xB3nica", 4),
	G("Monica", 6), G("Alejandra", 8), G("Isabel", 8), G("In\xC3\xA9s", 3), G("Luz", 6),
	G("Daniela", 10), G("Valentina", 6), G("Ximena", 4), G("Beatriz", 4),
	G("Luc\xC3\xAD" "a", 3), G("Mar\xC3\xAD" "a Jos\xC3\xA9", 2),
};

static const struct gname given_m_es[] = {
	GN("Jos\xC3\xA9", 40, "Pepe"), GN("Jose", 40, "Pepe"), G("Juan", 35), G("Luis", 25),
	G("Carlos", 25), G("Jes\xC3\xBAs", 12), G("Jesus", 10), G("Miguel", 20),
	GN("Francisco", 18, "Paco"), G("Antonio", 15), G("Alejandro", 12), G("Ram\xC3\xB3n", 6),
	G("Andr\xC3\xA9s", 5), G("Joaqu\xC3\xADn", 4), G("H\xC3\xA9" "ctor", 6), G("Hector", 8),
	G("Adri\xC3\xA1n", 4), G("Rub\xC3\xA9n", 4), G("Juli\xC3\xA1n", 3), G("\xC3\x93scar", 3),
	G("Oscar", 8), G("Pedro", 10), G("Manuel", 12), G("Javier", 10), G("Diego", 10),
	G("Mateo", 6), G("Santiago", 6), G("Juan Carlos", 3),
};

/* ---- addresses ------------------------------------------------------- */

static const char *const streets[] = {
	"Main", "Oak", "Maple", "Cedar", "Pine", "Elm", "Washington", "Lake", "Hill", "Park",
	"Walnut", "Spruce", "Chestnut", "Willow", "Sunset", "Lincoln", "Jefferson", "Madison",
	"Franklin", "Jackson", "Adams", "Church", "Center", "Mill", "River", "Spring",
	"Highland", "Forest", "Meadow", "Ridge", "Valley View", "Cherry", "Birch", "Dogwood",
	"Magnolia", "Sycamore", "Hickory", "Laurel", "Prospect", "Liberty", "Union", "Broad",
	"Market", "Water", "High", "Front", "School", "Railroad", "Bridge", "Orchard",
	"Pleasant", "Green", "College", "Academy", "Martin Luther King Jr", "Cesar Chavez",
	"1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th", "10th", "12th", "15th",
	"21st", "23rd", "42nd", "El Camino", "Vista del Mar", "Old Mill", "Fox Run",
};

static const struct gname street_suffix[] = {
	G("St", 30), G("Ave", 20), G("Rd", 15), G("Dr", 12), G("Ln", 8), G("Blvd", 4),
	G("Ct", 5), G("Way", 4), G("Pl", 3), G("Ter", 2), G("Cir", 2), G("Pkwy", 1), G("Hwy", 1),
	G("Trl", 1),
};

struct city {
	const char *name, *state, *zip3, *npa;
	unsigned short w;
};

static const struct city cities[] = {
	{ "Springfield", "IL", "627", "217", 10 }, { "Columbus", "OH", "432", "614", 20 },
	{ "Austin", "TX", "787", "512", 20 }, { "San Antonio", "TX", "782", "210", 25 },
	{ "Houston", "TX", "770", "713", 40 }, { "Dallas", "TX", "752", "214", 30 },
	{ "El Paso", "TX", "799", "915", 12 }, { "Phoenix", "AZ", "850", "602", 30 },
	{ "Tucson", "AZ", "857", "520", 10 }, { "Los Angeles", "CA", "900", "213", 60 },
	{ "San Diego", "CA", "921", "619", 25 }, { "San Jose", "CA", "951", "408", 18 },
	{ "Fresno", "CA", "937", "559", 10 }, { "Sacramento", "CA", "958", "916", 10 },
	{ "Portland", "OR", "972", "503", 12 }, { "Seattle", "WA", "981", "206", 14 },
	{ "Denver", "CO", "802", "303", 14 }, { "Albuquerque", "NM", "871", "505", 10 },
	{ "Salt Lake City", "UT", "841", "801", 8 }, { "Las Vegas", "NV", "891", "702", 12 },
	{ "Minneapolis", "MN", "554", "612", 8 }, { "Chicago", "IL", "606", "312", 50 },
	{ "Detroit", "MI", "482", "313", 14 }, { "Milwaukee", "WI", "532", "414", 10 },
	{ "Indianapolis", "IN", "462", "317", 16 }, { "St. Louis", "MO", "631", "314", 8 },
	{ "Kansas City", "MO", "641", "816", 10 }, { "Omaha", "NE", "681", "402", 8 },
	{ "Nashville", "TN", "372", "615", 14 }, { "Memphis", "TN", "381", "901", 12 },
	{ "Louisville", "KY", "402", "502", 12 }, { "Atlanta", "GA", "303", "404", 10 },
	{ "Miami", "FL", "331", "305", 10 }, { "Orlando", "FL", "328", "407", 6 },
	{ "Tampa", "FL", "336", "813", 8 }, { "Jacksonville", "FL", "322", "904", 18 },
	{ "Charlotte", "NC", "282", "704", 18 }, { "Raleigh", "NC", "276", "919", 10 },
	{ "Richmond", "VA", "232", "804", 5 }, { "Baltimore", "MD", "212", "410", 12 },
	{ "Philadelphia", "PA", "191", "215", 30 }, { "Pittsburgh", "PA", "152", "412", 6 },
	{ "New York", "NY", "100", "212", 40 }, { "Brooklyn", "NY", "112", "718", 50 },
	{ "Buffalo", "NY", "142", "716", 5 }, { "Boston", "MA", "021", "617", 14 },
	{ "Hartford", "CT", "061", "860", 3 }, { "Providence", "RI", "029", "401", 4 },
	{ "Burlington", "VT", "054", "802", 1 }, { "Portland", "ME", "041", "207", 1 },
	{ "New Orleans", "LA", "701", "504", 8 }, { "Oklahoma City", "OK", "731", "405", 14 },
	{ "Little Rock", "AR", "722", "501", 4 }, { "Birmingham", "AL", "352", "205", 4 },
	{ "Honolulu", "HI", "968", "808", 6 }, { "Anchorage", "AK", "995", "907", 6 },
	{ "Boise", "ID", "837", "208", 5 }, { "Cheyenne", "WY", "820", "307", 1 },
	{ "Fargo", "ND", "581", "701", 2 }, { "Sioux Falls", "SD", "571", "605", 3 },
	{ "Des Moines", "IA", "503", "515", 4 }, { "Wichita", "KS", "672", "316", 8 },
	{ "Charleston", "WV", "253", "304", 1 }, { "Columbia", "SC", "292", "803", 3 },
	{ "Jackson", "MS", "392", "601", 3 }, { "Wilmington", "DE", "198", "302", 1 },
	{ "Newark", "NJ", "071", "973", 6 }, { "Manchester", "NH", "031", "603", 2 },
	{ "Billings", "MT", "591", "406", 2 }, { "Truth or Consequences", "NM", "879", "575", 1 },
};

/* Languages of people whose surname says nothing about it. */
static const struct gname other_lang[] = {
	G("Spanish", 30), G("Haitian Creole", 10), G("French", 8), G("American Sign Language", 8),
	G("Tagalog", 8), G("Arabic", 6), G("Somali", 5), G("Amharic", 5), G("Portuguese", 5),
	G("Russian", 5), G("Chinese", 5), G("Vietnamese", 5), G("Navajo", 2),
};

/* Commercial insurers and the letters their member ids start with. */
static const struct {
	const char *name, *prefix;
	unsigned short w;
} insurers[] = {
	{ "Aetna", "W", 14 }, { "Anthem Blue Cross", "ANB", 12 },
	{ "Blue Cross Blue Shield", "XOF", 20 }, { "Cigna", "U", 10 },
	{ "UnitedHealthcare", "UHC", 20 }, { "Humana", "H", 6 }, { "Kaiser Permanente", "KP", 8 },
	{ "Molina Healthcare", "MOL", 4 }, { "Ambetter", "AMB", 3 }, { "Oscar Health", "OSC", 2 },
};

/* ---- cumulative weights ---------------------------------------------- */

static uint32_t cum_head[COUNT(surname_head)], cum_accent[COUNT(surname_accent)],
	cum_apos[COUNT(surname_apos)], cum_particle[COUNT(surname_particle)],
	cum_f[COUNT(given_f)], cum_m[COUNT(given_m)], cum_f_es[COUNT(given_f_es)],
	cum_m_es[COUNT(given_m_es)], cum_sfx[COUNT(street_suffix)], cum_city[COUNT(cities)],
	cum_lang[COUNT(other_lang)], cum_ins[COUNT(insurers)];

/* Days since 1970-01-01 of the reference date (2026-11-24) and of the
 * earliest birth date (100 years and 364 days before it). */
static int64_t day_ref, day_first;

static once_flag tables_once = ONCE_FLAG_INIT;

static void cum_sname(const struct sname *t, size_t n, uint32_t *cum)
{
	uint32_t s = 0;

	for (size_t i = 0; i < n; i++)
		cum[i] = s += t[i].w;
}

static void cum_gname(const struct gname *t, size_t n, uint32_t *cum)
{
	uint32_t s = 0;

	for (size_t i = 0; i < n; i++)
		cum[i] = s += t[i].w;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int y, unsigned m, unsigned d)
{
	int64_t era, yy = y - (m <= 2);
	unsigned yoe, doy, doe;

	era = (yy >= 0 ? yy : yy - 399) / 400;
	yoe = (unsigned)(yy - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

static void tables_init(void)
{
	cum_sname(surname_head, COUNT(surname_head), cum_head);
	cum_sname(surname_accent, COUNT(surname_accent), cum_accent);
	cum_sname(surname_apos, COUNT(surname_apos), cum_apos);
	cum_sname(surname_particle, COUNT(surname_particle), cum_particle);
	cum_gname(given_f, COUNT(given_f), cum_f);
	cum_gname(given_m, COUNT(given_m), cum_m);
	cum_gname(given_f_es, COUNT(given_f_es), cum_f_es);
	cum_gname(given_m_es, COUNT(given_m_es), cum_m_es);
	cum_gname(street_suffix, COUNT(street_suffix), cum_sfx);
	cum_gname(other_lang, COUNT(other_lang), cum_lang);
	{
		uint32_t s = 0;
		for (size_t i = 0; i < COUNT(cities); i++)
			cum_city[i] = s += cities[i].w;
		s = 0;
		for (size_t i = 0; i < COUNT(insurers); i++)
			cum_ins[i] = s += insurers[i].w;
	}
	day_ref = days_from_civil(2026, 11, 24);
	day_first = days_from_civil(1925, 11, 25);
}

/* ---- random numbers -------------------------------------------------- */

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

/* xorshift64* */
static inline uint64_t rnd(struct synth *g)
{
	uint64_t x = g->state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	g->state = x;
	return x * 0x2545F4914F6CDD1Dull;
}

/* Uniform in [0, n) (n > 0; bias below 2^-32 n, irrelevant here). */
static inline uint32_t below(struct synth *g, uint32_t n)
{
	return (uint32_t)(((rnd(g) >> 32) * (uint64_t)n) >> 32);
}

/* An index drawn by the cumulative weights cum[0..n-1]. */
static size_t pick(struct synth *g, const uint32_t *cum, size_t n)
{
	uint32_t r = below(g, cum[n - 1]);
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cum[mid] > r)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* ---- bounded output -------------------------------------------------- */

/* Appends to a fixed array, always NUL-terminated; once something does not
 * fit whole it is cut on a UTF-8 boundary and nothing more is added. */
struct out {
	char *p;
	size_t cap, n;
	int full;
};

static void o_open(struct out *o, char *buf, size_t cap)
{
	o->p = buf;
	o->cap = cap;
	o->n = 0;
	o->full = 0;
	buf[0] = '\0';
}

static void o_putn(struct out *o, const char *s, size_t len)
{
	size_t room;

	if (o->full)
		return;
	room = o->cap - 1 - o->n;
	if (len > room) {
		len = room;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
		o->full = 1;
	}
	memcpy(o->p + o->n, s, len);
	o->n += len;
	o->p[o->n] = '\0';
}

static void o_str(struct out *o, const char *s)
{
	o_putn(o, s, strlen(s));
}

static void o_chr(struct out *o, char c)
{
	o_putn(o, &c, 1);
}

/* v in decimal, zero-padded to width digits. */
static void o_num(struct out *o, uint32_t v, int width)
{
	char buf[12];
	int i = (int)sizeof buf;

	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
		width--;
	} while (v > 0 || width > 0);
	o_putn(o, buf + i, sizeof buf - (size_t)i);
}

/* n random digits. */
static void o_digits(struct synth *g, struct out *o, int n)
{
	char buf[16];

	for (int i = 0; i < n && i < (int)sizeof buf; i++)
		buf[i] = (char)('0' + below(g, 10));
	o_putn(o, buf, (size_t)(n < (int)sizeof buf ? n : (int)sizeof buf));
}

/* s with its apostrophes typed as U+2019 when curly. */
static void o_name(struct out *o, const char *s, int curly)
{
	const char *q;

	while (curly && (q = strchr(s, '\'')) != NULL) {
		o_putn(o, s, (size_t)(q - s));
		o_str(o, "\xE2\x80\x99");
		s = q + 1;
	}
	o_str(o, s);
}

/* ---- names ----------------------------------------------------------- */

#define PICK(g, tab, cum) (&(tab)[pick((g), (cum), COUNT(tab))])
#define ANY(g, tab) ((tab)[below((g), COUNT(tab))])

/* The surname of tail rank r (ASCII), and its language group. */
static unsigned tail_name(uint32_t r, struct out *o)
{
	uint64_t h = splitmix64(r);
	unsigned fam = (unsigned)(h % 100);
	uint64_t a = h >> 8, b = h >> 24, c = h >> 40;

	if (fam < 38) {
		o_str(o, en_pre[a % COUNT(en_pre)]);
		o_str(o, en_mid[b % COUNT(en_mid)]);
		o_str(o, en_suf[c % COUNT(en_suf)]);
		return LG_EN;
	}
	if (fam < 58) {
		o_str(o, es_pre[a % COUNT(es_pre)]);
		o_str(o, es_mid[b % COUNT(es_mid)]);
		o_str(o, es_suf[c % COUNT(es_suf)]);
		return LG_ES;
	}
	if (fam < 68) {
		o_str(o, de_pre[a % COUNT(de_pre)]);
		o_str(o, de_suf[c % COUNT(de_suf)]);
		return (b & 15) == 0 ? LG_DE : LG_EN;
	}
	if (fam < 75) {
		o_str(o, it_pre[a % COUNT(it_pre)]);
		o_str(o, it_suf[c % COUNT(it_suf)]);
		return (b & 15) == 0 ? LG_IT : LG_EN;
	}
	if (fam < 82) {
		o_str(o, pl_pre[a % COUNT(pl_pre)]);
		o_str(o, pl_suf[c % COUNT(pl_suf)]);
		return (b & 3) == 0 ? ((b & 4) ? LG_PL : LG_RU) : LG_EN;
	}
	if (fam < 89) {
		if (b % 3 == 2) {
			o_str(o, ga_pre[a % COUNT(ga_pre)]);
			o_str(o, ga_suf[c % COUNT(ga_suf)]);
		} else {
			o_str(o, b % 3 ? "Mac" : "Mc");
			o_str(o, ga_stem[a % COUNT(ga_stem)]);
		}
		return LG_EN;
	}
	if (fam < 93) {
		o_str(o, sv_pre[a % COUNT(sv_pre)]);
		o_str(o, sv_suf[c % COUNT(sv_suf)]);
		return LG_EN;
	}
	if (fam < 96) {
		o_str(o, hi_pre[a % COUNT(hi_pre)]);
		o_str(o, hi_suf[c % COUNT(hi_suf)]);
		return LG_HI;
	}
	o_str(o, asia_tail[a % COUNT(asia_tail)].s);
	return asia_tail[a % COUNT(asia_tail)].lang;
}

/* A plain surname: the common head, or a tail rank drawn log-uniformly
 * over [512, 2^20) (density ~1/rank). */
static unsigned plain_surname(struct synth *g, struct out *o)
{
	uint32_t r = below(g, 100000);
	unsigned bucket;

	if (r < cum_head[COUNT(surname_head) - 1]) {
		const struct sname *s = PICK(g, surname_head, cum_head);
		o_str(o, s->s);
		return s->lang;
	}
	bucket = 9 + below(g, 11);
	return tail_name((1u << bucket) + below(g, 1u << bucket), o);
}

static unsigned apos_surname(struct synth *g, struct out *o)
{
	const struct sname *s = PICK(g, surname_apos, cum_apos);

	o_name(o, s->s, below(g, 10) == 0);
	return s->lang;
}

/* The surname into o; its language group, and *native the non-Latin entry
 * when it is one. */
static unsigned surname(struct synth *g, struct out *o, int female, const struct native **native)
{
	uint32_t u = below(g, 10000);
	const struct sname *s;
	unsigned lang;

	*native = NULL;
	if (u < 50) {
		*native = &ANY(g, surname_native);
		o_str(o, female ? (*native)->last_f : (*native)->last_m);
		return (*native)->lang;
	}
	if (u < 150) {
		s = PICK(g, surname_particle, cum_particle);
		o_str(o, s->s);
		return s->lang;
	}
	if (u < 300)
		return apos_surname(g, o);
	if (u < 500) {
		uint32_t v = below(g, 100);
		lang = v < 10 ? apos_surname(g, o) : plain_surname(g, o);
		o_chr(o, '-');
		v = below(g, 100);
		if (v < 15) {
			s = PICK(g, surname_accent, cum_accent);
			o_str(o, s->s);
		} else if (v < 25) {
			apos_surname(g, o);
		} else {
			plain_surname(g, o);
		}
		return lang;
	}
	if (u < 800) {
		s = PICK(g, surname_accent, cum_accent);
		o_str(o, s->s);
		return s->lang;
	}
	return plain_surname(g, o);
}

static const struct gname *given(struct synth *g, int female, unsigned lang)
{
	if (lang == LG_ES && below(g, 2) == 0)
		return female ? PICK(g, given_f_es, cum_f_es) : PICK(g, given_m_es, cum_m_es);
	return female ? PICK(g, given_f, cum_f) : PICK(g, given_m, cum_m);
}

/* The ASCII letters and digits of a name, lower-cased, at most max. */
static size_t ascii_fold(const char *s, char *out, size_t max)
{
	char norm[NAME_NORM_MAX];
	size_t n = 0;

	if (name_normalize(s, norm, sizeof norm) <= 0)
		return 0;
	for (const char *p = norm; *p && n < max; p++) {
		if (*p >= 'A' && *p <= 'Z')
			out[n++] = (char)(*p - 'A' + 'a');
		else if (*p >= '0' && *p <= '9')
			out[n++] = *p;
	}
	return n;
}

/* ---- contact details ------------------------------------------------- */

static void phone(struct synth *g, char *buf, size_t cap, const char *npa)
{
	struct out o;

	o_open(&o, buf, cap);
	o_str(&o, npa);
	o_str(&o, "-555-");
	o_num(&o, below(g, 10000), 4);
}

static void email(struct synth *g, struct synth_person *p, int birth_year)
{
	static const char *const domains[] = { "example.org", "example.com", "example.net",
					       "example.org", "example.com" };
	char f[24], l[24];
	size_t fn = ascii_fold(p->first, f, 20), ln = ascii_fold(p->last, l, 20);
	uint32_t v = below(g, 100);
	struct out o;

	o_open(&o, p->email, sizeof p->email);
	if (fn == 0 || ln == 0) {
		o_str(&o, "patient");
		o_num(&o, below(g, 1000000), 6);
	} else if (v < 30) {
		o_putn(&o, f, fn);
		o_chr(&o, '.');
		o_putn(&o, l, ln);
	} else if (v < 45) {
		o_putn(&o, f, 1);
		o_putn(&o, l, ln);
	} else if (v < 55) {
		o_putn(&o, f, fn);
		o_chr(&o, '_');
		o_putn(&o, l, ln);
	} else if (v < 70) {
		o_putn(&o, f, fn);
		o_putn(&o, l, ln);
		o_num(&o, below(g, 100), 2);
	} else if (v < 80) {
		o_putn(&o, f, fn);
		o_chr(&o, '.');
		o_putn(&o, l, ln);
		o_num(&o, (uint32_t)birth_year % 100, 2);
	} else if (v < 90) {
		o_putn(&o, l, ln);
		o_putn(&o, f, 1);
	} else {
		o_putn(&o, f, fn);
		o_putn(&o, l, 1);
		o_num(&o, below(g, 1000), 1);
	}
	o_chr(&o, '@');
	o_str(&o, ANY(g, domains));
}

/* Medicare Beneficiary Identifier shape: digit 1-9, letter, letter or
 * digit, digit, letter, letter or digit, digit, letter, letter, digit,
 * digit; letters without S L O I B Z. */
static void mbi(struct synth *g, struct out *o)
{
	static const char alnum[] = "0123456789ACDEFGHJKMNPQRTUVWXY"; /* letters from 10 */
	static const char shape[] = "1ANDANDAADD";
	char buf[11];

	for (int i = 0; i < 11; i++) {
		switch (shape[i]) {
		case '1':
			buf[i] = (char)('1' + below(g, 9));
			break;
		case 'D':
			buf[i] = (char)('0' + below(g, 10));
			break;
		case 'A':
			buf[i] = alnum[10 + below(g, sizeof alnum - 11)];
			break;
		default:
			buf[i] = alnum[below(g, sizeof alnum - 1)];
			break;
		}
	}
	o_putn(o, buf, sizeof buf);
}

static void commercial(struct synth *g, struct out *n, struct out *id)
{
	size_t i = pick(g, cum_ins, COUNT(insurers));

	o_str(n, insurers[i].name);
	o_str(id, insurers[i].prefix);
	o_digits(g, id, 9);
}

static void insurance(struct synth *g, struct synth_person *p, int age)
{
	struct out n, id;
	uint32_t u = below(g, 100);
	uint32_t medicaid = age >= 65 ? 6 : age < 19 ? 40 : 18;

	o_open(&n, p->insurer, sizeof p->insurer);
	o_open(&id, p->member_id, sizeof p->member_id);
	if (age >= 65) {
		if (u < 80) {
			o_str(&n, "Medicare");
			mbi(g, &id);
			return;
		}
		u -= 80; /* 0-19: Medicaid, commercial, self-pay */
	}
	if (u < medicaid) {
		o_str(&n, "Medicaid");
		o_str(&id, p->state);
		o_digits(g, &id, 9);
	} else if (age < 65 && u < medicaid + 3) {
		o_str(&n, "Tricare");
		o_digits(g, &id, 10);
	} else if (u < (age >= 65 ? 18u : 93u)) {
		commercial(g, &n, &id);
	} else {
		o_str(&n, "Self-pay");
	}
}

/* ---- people ---------------------------------------------------------- */

void synth_init(struct synth *g, uint64_t seed)
{
	call_once(&tables_once, tables_init);
	g->state = splitmix64(seed);
	if (g->state == 0)
		g->state = 0x9E3779B97F4A7C15ull;
}

void synth_person(struct synth *g, struct synth_person *p)
{
	const struct native *nat;
	const struct gname *gn;
	const struct city *c;
	struct out o;
	unsigned lang;
	int female, y, age;
	unsigned mo, d;
	int64_t day;
	uint32_t u;

	call_once(&tables_once, tables_init);
	if (g->state == 0)
		g->state = 0x9E3779B97F4A7C15ull;

	/* sex: F and M, 0.5% X, 0.5% U; names follow F or M either way */
	u = below(g, 1000);
	p->sex[0] = u < 5 ? 'X' : u < 10 ? 'U' : u < 505 ? 'F' : 'M';
	p->sex[1] = '\0';
	female = p->sex[0] == 'F' || (p->sex[0] != 'M' && below(g, 2));

	/* date of birth: ages 0-100 on 2026-11-24, fewer past 85 */
	day = day_first + below(g, (uint32_t)(day_ref - day_first + 1));
	if (day_ref - day > 85 * 365 + 21 && below(g, 2))
		day = day_first + below(g, (uint32_t)(day_ref - day_first + 1));
	civil_from_days(day, &y, &mo, &d);
	age = 2026 - y - (mo > 11 || (mo == 11 && d > 24));
	o_open(&o, p->dob, sizeof p->dob);
	o_num(&o, (uint32_t)y, 4);
	o_chr(&o, '-');
	o_num(&o, mo, 2);
	o_chr(&o, '-');
	o_num(&o, d, 2);

	/* names */
	o_open(&o, p->last, sizeof p->last);
	lang = surname(g, &o, female, &nat);
	o_open(&o, p->first, sizeof p->first);
	o_open(&o, p->middle, sizeof p->middle);
	o_open(&o, p->suffix, sizeof p->suffix);
	o_open(&o, p->preferred, sizeof p->preferred);
	if (nat && below(g, 2)) {
		o_open(&o, p->first, sizeof p->first);
		o_str(&o, female ? nat->first_f : nat->first_m);
	} else {
		gn = given(g, female, lang);
		o_open(&o, p->first, sizeof p->first);
		o_str(&o, gn->s);
		if (gn->nick && below(g, 100) < 35) {
			o_open(&o, p->preferred, sizeof p->preferred);
			o_str(&o, gn->nick);
		}
		u = below(g, 100);
		if (u < 55) {
			const struct gname *m = given(g, female, lang);
			o_open(&o, p->middle, sizeof p->middle);
			o_str(&o, m->s);
			if (!p->preferred[0] && below(g, 100) < 3) {
				o_open(&o, p->preferred, sizeof p->preferred);
				o_str(&o, m->s);
			}
		} else if (u < 70) {
			o_open(&o, p->middle, sizeof p->middle);
			o_chr(&o, (char)('A' + below(g, 26)));
		}
		if (!female) {
			u = below(g, 1000);
			o_open(&o, p->suffix, sizeof p->suffix);
			if (u < 30)
				o_str(&o, "Jr");
			else if (u < 40)
				o_str(&o, "Sr");
			else if (u < 47)
				o_str(&o, "II");
			else if (u < 52)
				o_str(&o, "III");
			else if (u < 53)
				o_str(&o, "IV");
		}
	}

	/* address */
	c = PICK(g, cities, cum_city);
	o_open(&o, p->address, sizeof p->address);
	u = below(g, 100);
	o_num(&o, u < 5 ? 1 + below(g, 9) : u < 20 ? 10 + below(g, 90) : u < 55 ? 100 + below(g, 900)
			: u < 90 ? 1000 + below(g, 9000) : 10000 + below(g, 90000), 1);
	o_chr(&o, ' ');
	if (below(g, 10) == 0) {
		static const char *const dirs[] = { "N ", "S ", "E ", "W " };
		o_str(&o, ANY(g, dirs));
	}
	o_str(&o, ANY(g, streets));
	o_chr(&o, ' ');
	o_str(&o, PICK(g, street_suffix, cum_sfx)->s);
	if (below(g, 100) < 15) {
		o_str(&o, " Apt ");
		o_num(&o, 1 + below(g, 40), 1);
		o_chr(&o, (char)('A' + below(g, 6)));
	}
	o_open(&o, p->city, sizeof p->city);
	o_str(&o, c->name);
	o_open(&o, p->state, sizeof p->state);
	o_str(&o, c->state);
	o_open(&o, p->zip, sizeof p->zip);
	o_str(&o, c->zip3);
	o_num(&o, below(g, 100), 2);

	/* phones, e-mail */
	phone(g, p->phone, sizeof p->phone, c->npa);
	if (below(g, 100) < 70)
		phone(g, p->mobile, sizeof p->mobile, below(g, 5) ? c->npa : ANY(g, cities).npa);
	else
		p->mobile[0] = '\0';
	if (below(g, 100) < 80)
		email(g, p, y);
	else
		p->email[0] = '\0';

	/* SSN: never-issued 9xx area, about 80% */
	o_open(&o, p->ssn, sizeof p->ssn);
	if (below(g, 100) < 80) {
		o_num(&o, 900 + below(g, 100), 3);
		o_chr(&o, '-');
		o_num(&o, 1 + below(g, 99), 2);
		o_chr(&o, '-');
		o_num(&o, 1 + below(g, 9999), 4);
	}

	/* preferred language */
	o_open(&o, p->language, sizeof p->language);
	if (nat ? below(g, 100) < 75 : below(g, 100) < lang_native_pct[lang])
		o_str(&o, lang_name[lang]);
	else if (lang == LG_EN && below(g, 100) < 5)
		o_str(&o, PICK(g, other_lang, cum_lang)->s);
	else
		o_str(&o, "English");

	insurance(g, p, age);

	/* emergency contact: often a relative with the same surname */
	o_open(&o, p->emergency_name, sizeof p->emergency_name);
	p->emergency_phone[0] = '\0';
	if (below(g, 100) < 85) {
		int ef = below(g, 100) < 60 ? !female : female;
		const struct native *en = NULL;
		char last[64];
		struct out lo;

		o_str(&o, given(g, ef, lang)->s);
		o_chr(&o, ' ');
		if (below(g, 100) < 55) {
			o_str(&o, p->last);
		} else {
			o_open(&lo, last, sizeof last);
			surname(g, &lo, ef, &en);
			o_str(&o, last);
		}
		phone(g, p->emergency_phone, sizeof p->emergency_phone,
		      below(g, 5) ? c->npa : ANY(g, cities).npa);
	}
}
