## admin

admin-title = الإدارة
admin-users = الحسابات
admin-classes = الأقسام
admin-import = استيراد قائمة قسم
admin-audit = سجل العمليات الإدارية
admin-settings = إعدادات المدرسة

## flash.admin

flash-admin-link_added = تمت إضافة الصلة.
flash-admin-link_removed = تمت إزالة الصلة.
flash-admin-class_created = تم إنشاء القسم.
flash-admin-member_added = تمت الإضافة إلى القسم.
flash-admin-member_removed = تمت الإزالة من القسم.
flash-admin-settings_restart = تم الحفظ. لن تصل أسماء المضيف الجديدة إلى شهادة الأمان إلا عند إعادة تشغيل الخادم في المرة القادمة.

## admin_users

admin_users-new_title = حساب جديد
admin_users-search = الاسم أو اسم المستخدم
admin_users-role = الدور
admin_users-all_roles = كل الأدوار
admin_users-find = بحث
admin_users-name = الاسم
admin_users-username = اسم المستخدم
admin_users-status = الحالة
admin_users-status_disabled = معطَّل
admin_users-status_no_password = بلا كلمة مرور بعد
admin_users-status_must_change = كلمة مرور مؤقتة
admin_users-none_found = لا يوجد حساب مطابق.
admin_users-previous = → الصفحة السابقة
admin_users-next = الصفحة التالية ←
admin_users-first_name = الاسم الشخصي
admin_users-last_name = الاسم العائلي
admin_users-username_hint = اتركه فارغًا ليُنشأ من الاسمين (الاسم الشخصي، ثم نقطة، ثم الاسم العائلي). أحرف لاتينية صغيرة من a إلى z، وأرقام، ونقاط، وشرطات، أو شرطات سفلية.
admin_users-language = اللغة
admin_users-class = القسم
admin_users-no_class = بلا قسم
admin_users-class_hint = للتلميذ فقط (القسم الذي يدرس فيه) أو للأستاذ (قسم يدرّسه).
admin_users-password_hint = تُنشأ كلمة مرور مؤقتة وتُعرض مرة واحدة في الصفحة التالية؛ ويجب تغييرها عند أول تسجيل دخول.
admin_users-create = إنشاء الحساب
admin_users-error_role = اختر دورًا من القائمة.
admin_users-error_class_role = التلاميذ والأساتذة وحدهم ينتمون إلى قسم: اختر «بلا قسم» لهذا الدور.
admin_users-error_language = اختر لغة من القائمة.
admin_users-error_own_account = لا يمكنك تعطيل حسابك الخاص ولا تغيير دورك. اطلب ذلك من مسؤول نظام آخر.
admin_users-error_unknown_username = لا يوجد أي حساب باسم المستخدم هذا.
admin_users-created_at = أُنشئ في
admin_users-edit_title = معلومات الحساب
admin_users-disabled = حساب معطَّل (لا يمكن تسجيل الدخول به)
admin_users-disabled_hint = تعطيل الحساب يُخرجه فورًا من كل مكان. لا يُحذف أي شيء.
admin_users-self_hint = هذا حسابك الخاص: لا يمكنك تعطيله ولا تغيير دوره.
admin_users-password_title = كلمة المرور
admin_users-reset_hint = يُنشئ كلمة مرور مؤقتة جديدة ويعرضها مرة واحدة. تتوقف كلمة المرور القديمة عن العمل، ويُسجَّل خروج الحساب من كل مكان، ويجب اختيار كلمة مرور جديدة عند تسجيل الدخول التالي.
admin_users-reset_button = إعادة تعيين كلمة المرور
admin_users-reset_not_allowed = لا يحق لك إعادة تعيين كلمة مرور هذا الحساب.
admin_users-no_classes = لا ينتمي إلى أي قسم.
admin_users-parents = أولياء الأمور
admin_users-children = الأبناء
admin_users-unlink = إزالة الصلة
admin_users-no_links = لا توجد أي صلة بعد.
admin_users-add_parent = إضافة وليّ أمر (اسم المستخدم الخاص به)
admin_users-add_child = إضافة ابن أو ابنة (اسم المستخدم الخاص به)
admin_users-link = ربط
admin_users-created_title = تم إنشاء الحساب
admin_users-reset_title = كلمة المرور الجديدة
admin_users-shown_once = دوِّن كلمة المرور هذه أو اطبعها الآن: فهي لا تُعرض إلا هذه المرة. ويجب تغييرها عند أول تسجيل دخول.
admin_users-sessions_ended = لم تعد كلمة المرور القديمة صالحة، وتم تسجيل خروج الحساب من كل مكان.
admin_users-done = تم

## admin_classes

admin_classes-my_classes = أقسامي
admin_classes-none_taught = لا تدرّس أي قسم بعد.
admin_classes-as_pupil = تلميذ
admin_classes-as_teacher = أستاذ
admin_classes-name = القسم
admin_classes-school_year = السنة الدراسية
admin_classes-none = لا يوجد أي قسم بعد.
admin_classes-new_title = قسم جديد
admin_classes-create = إنشاء القسم
admin_classes-actions = الإجراءات
admin_classes-remove = إزالة من القسم
admin_classes-no_pupils = لا يوجد أي تلميذ في هذا القسم بعد.
admin_classes-no_teachers = لا يوجد أي أستاذ لهذا القسم بعد.
admin_classes-add_title = إضافة تلميذ أو أستاذ
admin_classes-add = إضافة
admin_classes-add_hint = حساب التلميذ ينضم إلى القسم؛ وحساب الأستاذ يدرّسه.
admin_classes-new_pupil = أو أنشئ تلميذًا جديدًا في هذا القسم.
admin_classes-error_year = تُكتب السنة الدراسية بسنتين متتاليتين، مثل 2026-2027.

## slips

slips-title = بطاقات الدخول · { $class }
slips-form_title = بطاقات الدخول
slips-warning = طباعة البطاقات تمنح كل تلميذ كلمة مرور جديدة: تتوقف كلمة مروره الحالية عن العمل، ويختار كلمة مرور خاصة به عند تسجيل الدخول التالي.
slips-only_some = لبعض التلاميذ فقط
slips-pick_hint = حدّد التلاميذ الذين يحتاجون إلى بطاقة (إذا لم تحدّد أحدًا: كل تلاميذ القسم).
slips-button = طباعة بطاقات الدخول
slips-no_pupils = لا يوجد أي تلميذ تُطبع له بطاقة.
slips-shown_once =
    { $n ->
        [zero] لا توجد كلمات مرور جديدة.
        [one] كلمة مرور جديدة واحدة: لا تُعرض إلا في هذه الصفحة. اطبعها الآن.
        [two] كلمتا مرور جديدتان: لا تُعرضان إلا في هذه الصفحة. اطبعها الآن.
        [few] { $n } كلمات مرور جديدة: لا تُعرض إلا في هذه الصفحة. اطبعها الآن.
        [many] { $n } كلمة مرور جديدة: لا تُعرض إلا في هذه الصفحة. اطبعها الآن.
       *[other] { $n } كلمة مرور جديدة: لا تُعرض إلا في هذه الصفحة. اطبعها الآن.
    }
slips-print_hint = اطبع هذه الصفحة (Ctrl+P) وقُصّ على طول الخطوط المنقّطة: لا تُطبع إلا البطاقات.
slips-address = العنوان
slips-username = اسم المستخدم
slips-password = كلمة المرور
slips-instruction = اذهب إلى هذا العنوان، وسجّل الدخول باسم المستخدم وكلمة المرور هذين، ثم اختر كلمة مرور خاصة بك.
slips-error_none = لا يوجد أي تلميذ تُطبع له بطاقة (الحسابات المعطَّلة لا تحصل على بطاقات).
slips-error_changed = تغيّر القسم في هذه الأثناء (غادره تلميذ أو عُطِّل حسابه). لم تُغيَّر أي كلمة مرور: حاول مرة أخرى.

## audit

audit-when = متى
audit-who = مَن
audit-what = الإجراء
audit-target = المعنيّ
audit-detail = التفاصيل
audit-empty = لم يُسجَّل أي شيء بعد.
audit-newer = → الأحدث
audit-older = الأقدم ←

## audit_action

audit_action-create_account = إنشاء حساب
audit_action-edit_account = تعديل حساب
audit_action-reset_password = إعادة تعيين كلمة المرور
audit_action-disable_account = تعطيل حساب
audit_action-enable_account = تفعيل حساب
audit_action-manage_classes = تعديل الأقسام
audit_action-print_slips = طباعة بطاقات الدخول
audit_action-manage_parent_links = تعديل صلة عائلية
audit_action-import_accounts = استيراد قائمة قسم
audit_action-edit_settings = تعديل الإعدادات
audit_action-manage_mail_queue = تعديل قائمة انتظار البريد
audit_action-moderate_forum = إشراف على المنتدى
audit_action-manage_forum_categories = إضافة فئة إلى المنتدى
audit_action-delete_news = حذف خبر
audit_action-delete_event = حذف حدث من المفكرة
audit_action-delete_book_entry = حذف حصة من دفتر النصوص
audit_action-review_absences = مراجعة غياب

## settings_page

settings_page-quota_dropbox = ما يسلّمه كل تلميذ في واجب واحد
settings_page-quotas = مساحات التخزين المخصّصة
settings_page-quotas_hint = بالميغابايت (MiB)، حيث 1024 ميغابايت = 1 غيغابايت، والقيم نفسها للبوابة ولمحركات الأقراص الشبكية. الملفات الموجودة في سلة المهملات لا تُحتسب.
settings_page-quota_invalid = يجب أن تكون المساحة المخصّصة عددًا صحيحًا من الميغابايت، لا يتجاوز 1048576.
settings_page-blog_images = صور المدوّنات
settings_page-image_px = أطول ضلع للصورة، بالبكسل
settings_page-image_px_hint = تُصغَّر الصور الأكبر عند رفعها، لتبقى الصفحات خفيفة على الهاتف.
settings_page-image_px_invalid = أطول ضلع عدد صحيح من البكسلات، من 100 إلى 12000.
settings_page-quota_admin = مسؤولو النظام (لكل واحد)
settings_page-quota_staff = موظفو الإدارة والحياة المدرسية (لكل واحد)
settings_page-quota_teacher = الأساتذة (لكل واحد)
settings_page-quota_pupil = التلاميذ (لكل واحد)
settings_page-quota_parent = أولياء الأمور (لكل واحد)
settings_page-quota_shared = فضاء كل قسم، وقاعة الأساتذة
settings_page-school_name = اسم المدرسة
settings_page-host_names = أسماء المضيف
settings_page-host_names_hint = الأسماء (أو العناوين) التي يكتبها المستخدمون للوصول إلى البوابة، مفصولة بفواصل (,)؛ ويُطبع أولها على بطاقات الدخول. لا يصل أي تغيير إلى شهادة الأمان إلا عند إعادة تشغيل الخادم في المرة القادمة.
settings_page-mail_domain = نطاق البريد
settings_page-default_language = اللغة الافتراضية
settings_page-language_auto = لغة متصفح كل مستخدم
settings_page-school_year = السنة الدراسية
settings_page-school_year_hint = مثل 2026-2027. تُنشأ الأقسام الجديدة لهذه السنة.
settings_page-error_school_name = يجب أن يتكون اسم المدرسة من 1 إلى 100 حرف.
settings_page-error_host_name = «{ $value }» ليس اسم مضيف (أحرف وأرقام وشرطات ونقاط) ولا عنوان IP.
settings_page-error_no_host_name = أدخل اسم مضيف واحدًا على الأقل.
settings_page-error_mail_domain = يجب أن يكون نطاق البريد اسم نطاق، مثل ecole.example.fr.
settings_page-error_language = اختر لغة من القائمة.
settings_page-error_school_year = تُكتب السنة الدراسية بسنتين متتاليتين، مثل 2026-2027.

## system_page

system_page-title = النظام
system_page-version = الإصدار
system_page-uptime = يعمل منذ
system_page-uptime_value =
    { $days ->
        [zero] { $days } يوم
        [one] يوم واحد
        [two] يومين
        [few] { $days } أيام
        [many] { $days } يومًا
       *[other] { $days } يوم
    } و{ $hours ->
        [zero] { $hours } ساعة
        [one] ساعة واحدة
        [two] ساعتين
        [few] { $hours } ساعات
        [many] { $hours } ساعة
       *[other] { $hours } ساعة
    }
system_page-disk = المساحة الحرة / الإجمالية للقرص
system_page-memory = الذاكرة المتاحة / الإجمالية
system_page-accounts = الحسابات النشطة
system_page-queue = رسائل بريد تنتظر الإرسال
system_page-queue_value =
    { $n ->
        [zero] لا توجد رسائل
        [one] رسالة واحدة، منذ { $when }
        [two] رسالتان، أقدمهما منذ { $when }
        [few] { $n } رسائل، أقدمها منذ { $when }
        [many] { $n } رسالة، أقدمها منذ { $when }
       *[other] { $n } رسالة، أقدمها منذ { $when }
    }
system_page-queue_empty = لا توجد
system_page-certificate = شهادة الخادم صالحة حتى
system_page-backup = آخر نسخة احتياطية
system_page-update = آخر تحديث
system_page-none = لا يوجد بعد
system_page-backup_overdue = تعود آخر نسخة احتياطية إلى { $when }، أي منذ أكثر من 3 أيام. وصّل قرص USB المسمّى CARTABLE-BK، أو اطلب ذلك من المكلّف بصيانة الخادم.
system_page-backup_never = لم تُنشأ أي نسخة احتياطية بعد. وصّل قرص USB مسمّى CARTABLE-BK: ستُحفظ فيه النسخة الاحتياطية الليلية.
system_page-rolled_back = فشل التحديث إلى الإصدار { $to } ({ $when }) في عمليات التحقق، فأُلغي تلقائيًا: الإصدار { $from } هو الذي يعمل، والبيانات كما كانت.
system_page-integrity = فحص قاعدة البيانات
system_page-integrity_never = لم يُجرَ بعد: يُجرى بعد كل تشغيل
system_page-integrity_running = جارٍ منذ { $when }
system_page-integrity_ok = لم يُعثر على أي تلف ({ $when })
system_page-integrity_problem = تنبيه: عُثر على تلف ({ $when })
system_page-integrity_interrupted = توقف قبل اكتماله ({ $when }): توقف الخادم قبل انتهائه؛ وسيُجرى من جديد عند التشغيل التالي
system_page-integrity_alert = عثر فحص قاعدة البيانات بتاريخ { $when } على تلف. يواصل Cartable العمل، لكن اطلب الآن من المكلّف بصيانة الخادم استعادة آخر نسخة احتياطية أُنشئت قبل ذلك التاريخ (cartable restore)، واحتفظ بالنسخ الاحتياطية الأقدم: فالنسخ التي ستُنشأ من الآن فصاعدًا تحمل هذا التلف. ما عُثر عليه:
system_page-hint = يرى المكلّفون بالصيانة المعلومات نفسها بالأمر `cartable status` عبر SSH.
