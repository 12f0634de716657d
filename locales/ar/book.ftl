## flash.book

flash-book-saved = حُفظت الحصة في دفتر النصوص.
flash-book-deleted = حُذفت الحصة.

## book

book-title = دفتر النصوص
book-write = الكتابة في الدفتر
book-for_child = دفتر نصوص { $name }
book-classes_label = أيّ قسم؟
book-all_classes = كل أقسامي
book-prev_day = اليوم السابق
book-next_day = اليوم التالي
book-prev_week = الأسبوع السابق
book-next_week = الأسبوع التالي
book-week_of = الأسبوع من { $first } إلى { $last }
book-see_week = عرض الأسبوع كله
book-this_week = العودة إلى هذا الأسبوع
book-due_today = المطلوب لهذا اليوم
book-lessons = الحصص
book-nothing = لم يُكتب شيء لهذا اليوم.
book-set_on = أُعطي يوم { $day }
book-done = ما أُنجز في القسم:
book-to_do = المطلوب:
book-due_for = ليوم { $day }:
book-work = العمل المطلوب
book-hand_in = للتسليم: { $title }
book-size_kb = { $n } كيلوبايت
book-class = القسم
book-lesson_day = يوم الحصة
book-due_day = تاريخ التسليم
book-by = كتبه
book-files = الملفات
book-edit = تعديل
book-delete = حذف…
book-delete_warning = ستُحذف الحصة وملفاتها نهائيًا.
book-delete_confirm = حذف نهائي
book-new_title = حصة جديدة في دفتر النصوص
book-edit_title = تعديل الحصة
book-choose_class = لأيّ قسم؟
book-subject = المادة
book-dates_hint = تُكتب التواريخ بالشكل 2026-05-04. لا تحدّد تاريخ تسليم إلا مع عمل مطلوب، ولا تكتب عملًا مطلوبًا إلا مع تاريخ تسليمه.
book-drop_box = صندوق لتسليم العمل (اختياري)
book-no_drop_box = بدون
book-attached = ملفات مرفقة سابقًا (حدّدها لإزالتها)
book-remove_file = إزالة { $name }
book-attach = إرفاق ملفات من مستنداتي
book-attach_hint =
    تُرفق نسخ من الملفات: { $n ->
        [zero] لا ملفات
        [one] ملف واحد
        [two] ملفان
        [few] { $n } ملفات
        [many] { $n } ملفًا
       *[other] { $n } ملف
    } على الأكثر، بحجم { $mib } ميغابايت لكل ملف. تبقى ملفاتك الأصلية كما هي.
book-no_files = ليس لديك أي ملف في مستنداتك بعد.
book-save = حفظ في الدفتر
book-due_soon = الواجبات المنزلية المطلوبة قريبًا
book-nothing_due = لا شيء مطلوب في الأيام القادمة.
book-error_subject_empty = حدّد المادة.
book-error_subject_long = اسم المادة طويل جدًا (60 حرفًا على الأكثر).
book-error_nothing = اكتب ما أُنجز في القسم، أو العمل المطلوب.
book-error_text_long = أحد النصوص طويل جدًا (5000 حرف على الأكثر).
book-error_due_missing = حدّد اليوم المطلوب فيه تسليم العمل.
book-error_work_missing = اكتب العمل المطلوب لذلك اليوم، أو اترك تاريخ التسليم فارغًا.
book-error_due_before = تاريخ التسليم يسبق الحصة.
book-error_due_far = تاريخ التسليم بعد الحصة بأكثر من سنة.
book-error_assignment = صندوق التسليم هذا ليس من صناديق هذا القسم.
book-error_attachment = أحد الملفات المختارة لم يعد ضمن مستنداتك.
book-error_too_many_files = عدد الملفات كبير جدًا: 5 ملفات على الأكثر في كل حصة.
book-error_file_big = أحد الملفات المختارة كبير جدًا (20 ميغابايت على الأكثر).
book-error_class = اختر القسم.
book-articles = مقالات من المكتبة للقراءة
book-articles_hint = ابحث عن مقال ببداية عنوانه، وضع علامة عليه، ثم احفظ ({ $n } على الأكثر). لا تُعرض إلا المجموعات التي يستطيع تلاميذ القسم قراءتها.
book-article_search = عنوان المقال
book-article_find = بحث
book-article_none = لا يوجد مقال يبدأ عنوانه بـ«{ $q }».
book-article_missing = المقال { $path } لم يعد في المكتبة: سيُحذف عند الحفظ.
book-to_read = للقراءة في المكتبة
book-error_article = أحد المقالات المختارة ليس في المكتبة، أو لا يستطيع تلاميذ القسم قراءته.
book-error_too_many_articles = عدد المقالات كبير جدًا: 10 على الأكثر في كل حصة.
