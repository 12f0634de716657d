## المدوّنات والصفحات العامة للمدرسة (issue #19): blog

blog-title = المدوّنات
blog-waiting_title = بانتظارك
blog-gone = (حساب سابق)
blog-comment_on = تعليق على «{ $title }»
blog-mine_title = مقالاتي التي لم تُنشر بعد
blog-state-draft = مسودة
blog-state-submitted = بانتظار الموافقة
blog-state-published = منشور
blog-note_from_moderator = من المشرف:
blog-audience-class = للقسم وأولياء أمور تلاميذه
blog-audience-school = للمدرسة كلها
blog-audience-public = عامة
blog-post_count = { $n ->
    [zero] لا مقالات
    [one] مقال واحد
    [two] مقالان
    [few] { $n } مقالات
    [many] { $n } مقالًا
   *[other] { $n } مقال
}
blog-latest_on = آخرها في { $when }
blog-waiting_count = { $n ->
    [zero] لا شيء بانتظارك
    [one] واحد بانتظارك
    [two] اثنان بانتظارك
    [few] { $n } بانتظارك
    [many] { $n } بانتظارك
   *[other] { $n } بانتظارك
}
blog-write = اكتب مقالًا
blog-none = لا توجد مدوّنة للقراءة بعد.
blog-new_title = مدوّنة خاصة بك
blog-field_title = العنوان
blog-new_hint = تقرؤها أقسامك؛ تختار بعد ذلك قرّاءها والتعليقات.
blog-create = أنشئ المدوّنة
blog-site_link = الصفحات العامة للمدرسة
blog-comments-off = التعليقات مغلقة
blog-comments-moderated = تُقرأ التعليقات قبل ظهورها
blog-comments-open = التعليقات مفتوحة
blog-public_address = العنوان العام
blog-settings = الإعدادات
blog-no_posts = لم يُنشر شيء بعد.
blog-title_hint = اتركه فارغًا لاستعمال اسم القسم (أو المدرسة).
blog-field_description = الوصف
blog-field_audience = من يقرؤها
blog-public_hint = تُقرأ المدوّنة العامة دون تسجيل الدخول في الصفحات العامة للمدرسة؛ لا تُظهر مقالاتها اسم أي تلميذ ولا التعليقات.
blog-field_comments = التعليقات
blog-field_approval = تنتظر مقالات التلاميذ موافقة أستاذ
blog-save = حفظ
blog-edit = تعديل
blog-preview = معاينة
blog-field_body = النص
blog-markdown_help = التنسيق: **غامق**، *مائل*، سطر يبدأ بـ - لقائمة، و> للاقتباس، و[نص](https://…) لرابط.
blog-approval_hint = يقرأ أستاذ مقالك قبل نشره.
blog-publish = انشر
blog-submit = أرسل للموافقة
blog-save_draft = احفظ كمسودة
blog-hidden = مخفي
blog-approve = وافق
blog-take_back = استرجعه
blog-return = أعده إلى كاتبه
blog-field_note = كلمة للكاتب
blog-hide = أخفِ
blog-show = أظهر من جديد
blog-delete = احذف…
blog-delete_warning = سيُحذف المقال وتعليقاته نهائيًا.
blog-delete_confirm = احذف
blog-report = أبلغ
blog-field_reason = ما المشكلة؟
blog-comments_title = التعليقات
blog-comment_waiting = بانتظار الموافقة
blog-no_comments = لا تعليق بعد.
blog-field_comment = تعليقك
blog-comment_moderated_hint = يقرأ أستاذ التعليقات قبل ظهورها.
blog-send_comment = أرسل
blog-site_title = الصفحات العامة
blog-site_intro = ما تنشره أقسام المدرسة للجميع.
blog-site_empty = لم يُنشر شيء للعموم بعد.
blog-feed = تغذية Atom (لقارئ التغذيات)
blog-feeds_title = تغذيات لقارئ التغذيات
blog-feeds_hint = يمكن لقارئ التغذيات (Atom، RSS) أن يتابع المدوّنات التي تقرؤها. تحمل عناوينها سرًّا خاصًا بك: الرابط الجديد يُنهي الروابط القديمة.
blog-new_feed_link = روابط تغذية جديدة
blog-feeds_once = تظهر هذه العناوين هذه المرة فقط: انسخها إلى قارئ التغذيات. من يملك أحدها يقرأ تلك المدوّنة كما تقرؤها.
blog-files_kept = ملفات المقال
blog-remove_file = أزل
blog-field_files = صور وملفات
blog-files_hint = حتى { $n } لكل مقال، 20 ميغابايت لكل منها؛ تُصغَّر الصور الكبيرة.
blog-error_file_name = لأحد الملفات اسم لا يمكن حفظه.
blog-error_file_big = أحد الملفات أكبر من 20 ميغابايت.
blog-error_not_image = أحد الملفات ليس صورة مقروءة (JPEG أو PNG أو GIF أو WebP).
blog-error_image_large = إحدى الصور أكبر من أن تُقرأ.
blog-error_too_many_files = ملفات كثيرة جدًا لمقال واحد.
blog-latest_title = جديد المدوّنات
blog-reported_because = أُبلغ عنه:
blog-dismiss = أغلق البلاغ
blog-search_title = ابحث في المدوّنات
blog-search_placeholder = كلمات من مقال…
blog-search_button = ابحث
blog-search_none = لا يحتوي أي مقال منشور تقرؤه على هذه الكلمات.
blog-from_documents = خذ من مستنداتي
blog-error_not_found = هذه المدوّنة أو هذا المقال غير موجود، أو ليس موجّهًا إليك.
blog-error_denied = لا يمكنك فعل ذلك هنا.
blog-error_title_empty = اكتب عنوانًا.
blog-error_title_long = العنوان طويل جدًا.
blog-error_body_empty = اكتب نصًا.
blog-error_body_long = النص طويل جدًا.
blog-error_description_long = النص طويل جدًا.
blog-error_audience = اختر من يقرأ المدوّنة.
blog-error_comments = اختر طريقة عمل التعليقات.
blog-error_state = تغيّر المقال في الأثناء: انظر إليه من جديد.
blog-error_comments_off = التعليقات مغلقة في هذه المدوّنة.
blog-error_action = اختر أحد أزرار الاستمارة.
flash-blog-created = أُنشئت المدوّنة: اختر من يقرؤها.
flash-blog-settings_saved = حُفظت الإعدادات.
flash-blog-saved = حُفظت المسودة.
flash-blog-submitted = أُرسل المقال: سيقرؤه أستاذ.
flash-blog-published = نُشر المقال.
flash-blog-approved = تمت الموافقة على المقال ونُشر.
flash-blog-returned = أُعيد المقال إلى كاتبه.
flash-blog-hidden = أُخفي المقال.
flash-blog-shown = أُظهر المقال من جديد.
flash-blog-deleted = حُذف المقال.
flash-blog-reported = شكرًا: سينظر فيه المشرفون.
flash-blog-comment_waiting = سيظهر تعليقك بعد أن يقرأه أستاذ.
flash-blog-commented = نُشر تعليقك.
flash-blog-comment_approved = نُشر التعليق.
flash-blog-comment_hidden = أُخفي التعليق.
flash-blog-comment_shown = أُظهر التعليق من جديد.
flash-blog-comment_deleted = حُذف التعليق.
flash-blog-report_dismissed = أُغلق البلاغ.
