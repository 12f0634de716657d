## flash.homework

flash-homework-created = صندوق التسليم مفتوح.
flash-homework-closed = تم إغلاق صندوق التسليم.
flash-homework-reopened = أُعيد فتح صندوق التسليم.
flash-homework-handed_in = تم تسليم الملفات.
flash-homework-withdrawn = تم سحب الملف.

## homework

homework-title = الواجبات المنزلية
homework-due = آخر أجل للتسليم: { $date }
homework-open = مفتوح
homework-closed = مغلق
homework-status_on_time = سُلِّم
homework-status_late = متأخر
homework-status_missing = لم يُسلَّم بعد
homework-none = لا توجد واجبات منزلية حاليًا.
homework-new_title = إعطاء واجب منزلي
homework-class = القسم
homework-title_label = العنوان
homework-instructions = التعليمات
homework-due_label = آخر أجل للتسليم (التاريخ والساعة)
homework-due_hint = بعد هذا التاريخ، يبقى التسليم ممكنًا لكنه يُعلَّم بأنه متأخر، ما لم تُغلق صندوق التسليم.
homework-create = فتح صندوق التسليم
homework-roster = التلاميذ
homework-summary = سلّموا في الوقت: { $on_time } · سلّموا متأخرين: { $late } · لم يسلّموا بعد: { $missing }
homework-zip = تنزيل الكل (zip)
homework-close = إغلاق صندوق التسليم
homework-reopen = إعادة فتح صندوق التسليم
homework-closed_hint = صندوق التسليم مغلق: لم يعد بإمكان التلاميذ تسليم أي شيء أو سحبه.
homework-late_hint = انقضى آخر أجل للتسليم: ما زال التسليم مقبولًا، لكنه يُعلَّم بأنه متأخر.
homework-last_at = آخر تسليم في { $date }
homework-no_pupils = لا يوجد تلاميذ في هذا القسم بعد.
homework-my_work = عملي
homework-nothing_yet = لم تسلّم أي شيء بعد.
homework-late_warning = انقضى آخر أجل للتسليم: سيُعلَّم تسليمك بأنه متأخر.
homework-hand_in_label = تسليم ملفات (يمكنك اختيار عدة ملفات معًا)
homework-hand_in = تسليم
homework-withdraw = سحب
homework-error_closed = أغلق الأستاذ صندوق التسليم هذا: لم يعد يقبل أي ملفات.
homework-error_title = أعطِ الواجب المنزلي عنوانًا.
homework-error_title_long = العنوان طويل جدًا (120 حرفًا على الأكثر).
homework-error_instructions_long = التعليمات طويلة جدًا (10000 حرف على الأكثر).
homework-error_due = أدخل تاريخًا ووقتًا صالحين.
homework-error_due_past = آخر أجل للتسليم قد مضى بالفعل.
homework-error_due_far = آخر أجل للتسليم بعيد جدًا (أكثر من سنة).
homework-error_class = اختر أحد أقسامك.
